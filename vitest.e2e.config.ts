import { defineConfig } from "vitest/config";

// Browser tests: the built app in Debian's chromium (playwright-core). `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ["apps/web/test/**/*.e2e.test.ts"],
    globalSetup: ["apps/web/test/e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
