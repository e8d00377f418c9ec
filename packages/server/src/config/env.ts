import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/** Every environment variable the server reads, validated once at start. Documented in .env.example. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATA_DIR: z.string().default("./.data"),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: positiveInt(10),
  REDIS_URL: optionalString,
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().min(1).max(64).default("modu-arena:"),
  JWT_SECRET: optionalString,
  CRON_SECRET: optionalString,
  PUBLIC_URL: optionalString,
  /** Where the packed CLI (modu-arena-cli-<version>.tgz and latest.json, see packages/cli/pack.mjs) is served from. */
  CLI_PACKAGE_DIR: optionalString,
  RATE_LIMIT_API_PER_MIN: positiveInt(100),
  RATE_LIMIT_AUTH_PER_MIN: positiveInt(10),
  RATE_LIMIT_SENSITIVE_PER_MIN: positiveInt(30),
  RATE_LIMIT_PUBLIC_PER_MIN: positiveInt(200),
  /** Seconds a verified API key is remembered in memory (0 = look it up on every request). */
  API_KEY_CACHE_SECONDS: nonNegativeInt(5),
  RETENTION_SESSIONS_DAYS: nonNegativeInt(90),
  RETENTION_TOKEN_USAGE_DAYS: nonNegativeInt(90),
  RETENTION_DAILY_STATS_DAYS: nonNegativeInt(400),
  RETENTION_DAILY_RANKINGS_DAYS: nonNegativeInt(30),
  RETENTION_AUDIT_DAYS: nonNegativeInt(180),
  RANKING_INTERVAL_SECONDS: nonNegativeInt(300),
  CLEANUP_INTERVAL_SECONDS: nonNegativeInt(86_400),
  SEED_DEMO: z.enum(["auto", "true", "false"]).default("auto"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  /** With TRUST_PROXY: how many proxies in front append to X-Forwarded-For; the client is that many hops from the right. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  /** Project evaluation: submissions per user per day, and which scorer judges READMEs (auto = the first configured of openai, anthropic, else the offline rubric). */
  EVALUATIONS_PER_DAY: positiveInt(10),
  EVALUATION_PROVIDER: z.enum(["auto", "rubric", "openai", "anthropic"]).default("auto"),
  LLM_BASE_URL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_MODEL: optionalString,
  ANTHROPIC_BASE_URL: optionalString,
  LLM_TIMEOUT_MS: positiveInt(30_000),
  /** Outgoing mail: SMTP when set (e.g. smtps://user:pass@smtp.example.com:465), else Gmail OAuth2, else the dev outbox. */
  SMTP_URL: optionalString,
  MAIL_FROM: optionalString,
  GMAIL_CLIENT_ID: optionalString,
  GMAIL_CLIENT_SECRET: optionalString,
  GMAIL_REFRESH_TOKEN: optionalString,
  GMAIL_USER: optionalString,
  /** Email signup codes: lifetime, wrong guesses allowed per code, and the wait before another code is sent. */
  OTP_TTL_SECONDS: positiveInt(600),
  OTP_MAX_ATTEMPTS: positiveInt(5),
  OTP_RESEND_SECONDS: nonNegativeInt(60),
  /** Secure flag of the session cookie: auto = everywhere except plain-http loopback. */
  SESSION_COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
});
export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  throw new Error(`Invalid configuration: ${problems}`);
}
