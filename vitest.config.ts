import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["**/node_modules/**", "test/dashboard/**"] } },
      // Headless Chromium takes a core of its own: run the browser tests after the rest, so that its
      // load never pushes another test's widgets past their deadlines.
      { extends: true, test: { name: "browser", include: ["test/dashboard/**/*.test.ts"], sequence: { groupOrder: 1 } } },
    ],
  },
});
