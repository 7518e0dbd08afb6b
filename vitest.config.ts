import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["libs/**/*.test.ts", "pipelines/**/*.test.ts", "tools/**/*.test.ts", "tests/**/*.test.ts"],
    // DuckDB is a native addon: separate processes keep one test file's instance from another's.
    pool: "forks",
    reporters: ["default", "./tools/test/summary-reporter.ts"],
    globalSetup: ["./tools/test/temp-root.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000
  }
})
