import { defineConfig } from "vitest/config";

/** `npm run test:reliability`: real PostgreSQL and Redis, API processes, injected faults; one file at a time. */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
