import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker less than the cores (one, on the 2-core machines this runs on);
    // the suites are CPU-bound searches, so two forks halve the wall time.
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
