import { defineConfig } from "vitest/config";

/**
 * `npm run test:agents`: real coding agents (installed from npm into a cache outside the repository) run
 * against a loopback stub model, and our CLI must report exactly the usage the stub served. One file at a time.
 */
export default defineConfig({
  test: {
    include: ["test/agents/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
