import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "./env";

export interface RateLimitConfig {
  apiPerMinute: number;
  authPerMinute: number;
  sensitivePerMinute: number;
  publicPerMinute: number;
  evaluationsPerDay?: number;
}

export interface RetentionConfig {
  sessionsDays: number;
  tokenUsageDays: number;
  dailyStatsDays: number;
  dailyRankingsDays: number;
  auditDays: number;
}

export interface MailConfig {
  smtpUrl?: string;
  from: string;
  gmail?: { clientId: string; clientSecret: string; refreshToken: string; user: string };
}

export interface OtpConfig {
  ttlSeconds: number;
  maxAttempts: number;
  resendSeconds: number;
}

/** Project evaluation: which scorer judges READMEs (see services/evaluation/select-evaluator.ts). */
export interface EvaluationConfig {
  provider: "auto" | "rubric" | "openai" | "anthropic";
  timeoutMs: number;
  openai?: { baseUrl: string; apiKey?: string; model: string };
  anthropic?: { baseUrl: string; apiKey: string; model: string };
}

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  redisUrl?: string;
  redisPrefix: string;
  jwtSecret: string;
  cronSecret: string;
  publicUrl?: string;
  /** The packed CLI served under /cli/ (absolute). */
  cliPackageDir: string;
  rateLimits: RateLimitConfig;
  apiKeyCacheSeconds: number;
  retention: RetentionConfig;
  rankingIntervalSeconds: number;
  cleanupIntervalSeconds: number;
  seedDemo: "auto" | "true" | "false";
  logLevel: Env["LOG_LEVEL"];
  trustProxy: boolean;
  /** Proxies in front that append to X-Forwarded-For (used only with trustProxy). */
  trustProxyHops: number;
  evaluation: EvaluationConfig;
  mail: MailConfig;
  otp: OtpConfig;
  sessionCookieSecure: "auto" | "true" | "false";
}

/** packages/cli/pack of this checkout, where `npm start` packs the CLI. */
function getDefaultCliPackageDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../cli/pack");
}

/**
 * Turns the validated environment into the app config. On the embedded database, missing secrets are
 * generated once and kept in DATA_DIR so `npm start` needs no setup; with DATABASE_URL they are required.
 */
export function buildConfig(env: Env): Config {
  const dataDir = path.resolve(env.DATA_DIR);
  const secrets = env.DATABASE_URL ? requireSecrets(env) : loadOrCreateSecrets(env, dataDir);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    jwtSecret: secrets.jwtSecret,
    cronSecret: secrets.cronSecret,
    publicUrl: env.PUBLIC_URL,
    cliPackageDir: env.CLI_PACKAGE_DIR ? path.resolve(env.CLI_PACKAGE_DIR) : getDefaultCliPackageDir(),
    rateLimits: {
      apiPerMinute: env.RATE_LIMIT_API_PER_MIN,
      authPerMinute: env.RATE_LIMIT_AUTH_PER_MIN,
      sensitivePerMinute: env.RATE_LIMIT_SENSITIVE_PER_MIN,
      publicPerMinute: env.RATE_LIMIT_PUBLIC_PER_MIN,
      evaluationsPerDay: env.EVALUATIONS_PER_DAY,
    },
    apiKeyCacheSeconds: env.API_KEY_CACHE_SECONDS,
    retention: {
      sessionsDays: env.RETENTION_SESSIONS_DAYS,
      tokenUsageDays: env.RETENTION_TOKEN_USAGE_DAYS,
      dailyStatsDays: env.RETENTION_DAILY_STATS_DAYS,
      dailyRankingsDays: env.RETENTION_DAILY_RANKINGS_DAYS,
      auditDays: env.RETENTION_AUDIT_DAYS,
    },
    rankingIntervalSeconds: env.RANKING_INTERVAL_SECONDS,
    cleanupIntervalSeconds: env.CLEANUP_INTERVAL_SECONDS,
    seedDemo: env.SEED_DEMO,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY === "true",
    trustProxyHops: env.TRUST_PROXY_HOPS,
    evaluation: buildEvaluationConfig(env),
    mail: buildMailConfig(env),
    otp: { ttlSeconds: env.OTP_TTL_SECONDS, maxAttempts: env.OTP_MAX_ATTEMPTS, resendSeconds: env.OTP_RESEND_SECONDS },
    sessionCookieSecure: env.SESSION_COOKIE_SECURE,
  };
}

function requireSecrets(env: Env): { jwtSecret: string; cronSecret: string } {
  const missing = (["JWT_SECRET", "CRON_SECRET"] as const).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(" and ")} must be set when DATABASE_URL is set (see .env.example)`);
  }
  for (const name of ["JWT_SECRET", "CRON_SECRET"] as const) {
    if ((env[name] ?? "").length < 32) throw new Error(`${name} must be at least 32 characters`);
  }
  return { jwtSecret: env.JWT_SECRET!, cronSecret: env.CRON_SECRET! };
}

function loadOrCreateSecrets(env: Env, dataDir: string): { jwtSecret: string; cronSecret: string } {
  const file = path.join(dataDir, "secrets.json");
  let stored: { jwtSecret?: string; cronSecret?: string } = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  // Only generated secrets are written; ones given in the environment stay there.
  const generated = {
    jwtSecret: stored.jwtSecret ?? randomBytes(32).toString("hex"),
    cronSecret: stored.cronSecret ?? randomBytes(32).toString("hex"),
  };
  const needsFile = !env.JWT_SECRET || !env.CRON_SECRET;
  if (needsFile && (stored.jwtSecret !== generated.jwtSecret || stored.cronSecret !== generated.cronSecret)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { jwtSecret: env.JWT_SECRET ?? generated.jwtSecret, cronSecret: env.CRON_SECRET ?? generated.cronSecret };
}

/** Gmail OAuth2 is used only when all four seed variables are given. */
function buildMailConfig(env: Env): MailConfig {
  const { GMAIL_CLIENT_ID, GMAIL_CLIENT_SECRET, GMAIL_REFRESH_TOKEN, GMAIL_USER } = env;
  const gmail =
    GMAIL_CLIENT_ID && GMAIL_CLIENT_SECRET && GMAIL_REFRESH_TOKEN && GMAIL_USER
      ? {
          clientId: GMAIL_CLIENT_ID,
          clientSecret: GMAIL_CLIENT_SECRET,
          refreshToken: GMAIL_REFRESH_TOKEN,
          user: GMAIL_USER,
        }
      : undefined;
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM ?? gmail?.user ?? "Modu-Arena <no-reply@modu-arena.local>",
    gmail,
  };
}

/** An OpenAI-compatible endpoint needs a base URL and a model (local servers may need no key). */
function buildEvaluationConfig(env: Env): EvaluationConfig {
  const openai =
    env.LLM_BASE_URL && env.LLM_MODEL
      ? { baseUrl: env.LLM_BASE_URL.replace(/\/+$/, ""), apiKey: env.LLM_API_KEY, model: env.LLM_MODEL }
      : undefined;
  const anthropic = env.ANTHROPIC_API_KEY
    ? {
        baseUrl: (env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com").replace(/\/+$/, ""),
        apiKey: env.ANTHROPIC_API_KEY,
        model: env.ANTHROPIC_MODEL ?? "claude-sonnet-4-20250514",
      }
    : undefined;
  // A half-configured LLM would silently score with the rubric: refuse to start instead.
  if (!openai && (env.LLM_BASE_URL || env.LLM_MODEL || env.LLM_API_KEY)) {
    throw new Error("LLM_BASE_URL and LLM_MODEL must be set together (LLM_API_KEY is optional)");
  }
  if (env.EVALUATION_PROVIDER === "openai" && !openai) {
    throw new Error("EVALUATION_PROVIDER=openai needs LLM_BASE_URL and LLM_MODEL");
  }
  if (env.EVALUATION_PROVIDER === "anthropic" && !anthropic) {
    throw new Error("EVALUATION_PROVIDER=anthropic needs ANTHROPIC_API_KEY");
  }
  return { provider: env.EVALUATION_PROVIDER, timeoutMs: env.LLM_TIMEOUT_MS, openai, anthropic };
}
