#!/usr/bin/env node
// Runs the database suites against a real PostgreSQL server and Redis (defaults: the local services).
// Each test file creates and drops its own database on that server.
import { spawnSync } from "node:child_process";

const env = {
  ...process.env,
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
};
const suites = process.argv.slice(2);
const args = ["vitest", "run", ...(suites.length > 0 ? suites : ["packages/db", "packages/server"])];
const result = spawnSync("npx", args, { stdio: "inherit", env });
process.exit(result.status ?? 1);
