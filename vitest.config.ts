import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["**/node_modules/**", "test/dashboard/**", "test/app/**", "test/admission/overload.test.ts"],
        },
      },
      // Headless Chromium takes a core of its own: run the browser tests after the rest, so that its
      // load never pushes another test's widgets past their deadlines. A whole operator flow in a real
      // browser gets a margin for a loaded machine, not a speed goal.
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/dashboard/**/*.test.ts", "test/app/**/*.test.ts"],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
        },
      },
      // 512 connections at once load the machine: alone, last.
      { extends: true, test: { name: "overload", include: ["test/admission/overload.test.ts"], sequence: { groupOrder: 2 } } },
    ],
  },
});
