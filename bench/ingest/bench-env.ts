/** The server environment of the ingest benchmarks: PostgreSQL `database`, no schedules, no limits. */
export function benchEnv(database: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    JWT_SECRET: "bench-jwt-secret-bench-jwt-secret-bench-jwt",
    CRON_SECRET: "bench-cron-secret-bench-cron-secret-bench-cr",
    RANKING_INTERVAL_SECONDS: "0",
    CLEANUP_INTERVAL_SECONDS: "0",
    RATE_LIMIT_API_PER_MIN: "10000000",
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    ...extra,
  };
}
