import { defineConfig } from "vitest/config";

// Node-side tests: unit tests, adapter acceptance suites, relay and end-to-end tests.
// Browser tests (*.browser.test.ts) run in Chromium through @web/test-runner instead.
export default defineConfig({
  test: {
    include: ["{core,adapters,elements,demo,test}/**/*.test.ts"],
    exclude: ["**/*.browser.test.ts", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
