import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["**/node_modules/**", "test/dashboard/**"] } },
      // Headless Chromium takes a core of its own: run the browser tests after the rest, so that its
      // load never pushes another test's widgets past their deadlines.
      // A whole operator flow in a real browser: minutes-long margins for a loaded machine, not speed goals.
      { extends: true, test: { name: "browser", include: ["test/dashboard/**/*.test.ts"], sequence: { groupOrder: 1 }, testTimeout: 60_000 } },
    ],
  },
});
