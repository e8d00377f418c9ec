import { type Db, emailVerifications, queryRows, users } from "@modu-arena/db";
import { and, desc, eq, sql } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { addressKey } from "../../infra/rate-limit";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getMailer, type MailMessage } from "../mail/mailer";
import { consumeAuthLimit } from "./consume-auth-limit";
import { generateOtpCode, hashOtpCode, otpHashesEqual } from "./otp-code";

/** Signup and password-reset codes share the table; the purpose is part of the keyed hash, so neither opens the other. */
export type EmailCodePurpose = "signup" | "reset";

export interface SendCodeResult {
  sent: true;
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

const ipOf = (origin?: RequestOrigin) => addressKey(origin?.ipAddress);

/**
 * Stores a fresh code for the address (earlier ones stop working) after the resend cooldown and mails
 * what `compose` makes of it, knowing whether the address has an account. Only the keyed hash is kept.
 */
export async function issueEmailCode(
  ctx: AppContext,
  email: string,
  purpose: EmailCodePurpose,
  origin: RequestOrigin | undefined,
  compose: (code: string, registered: boolean) => MailMessage,
): Promise<SendCodeResult> {
  const { ttlSeconds, resendSeconds } = ctx.config.otp;
  await consumeAuthLimit(ctx, [`send-code:ip:${ipOf(origin)}`], origin);
  const now = ctx.clock.now();
  const [latest] = await ctx.db
    .select({ createdAt: emailVerifications.createdAt })
    .from(emailVerifications)
    .where(eq(emailVerifications.email, email))
    .orderBy(desc(emailVerifications.createdAt))
    .limit(1);
  const waitMs = latest ? latest.createdAt.getTime() + resendSeconds * 1000 - now.getTime() : 0;
  if (waitMs > 0) {
    const retryAfter = Math.ceil(waitMs / 1000);
    throw new ServiceError(
      "rate_limited",
      `Wait ${retryAfter} s before requesting another code`,
      undefined,
      retryAfter,
    );
  }
  const [registered] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  const code = generateOtpCode();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(emailVerifications)
      .set({ used: true })
      .where(and(eq(emailVerifications.email, email), eq(emailVerifications.used, false)));
    // A row is written even when no code is mailed, so cooldown, attempts and answers behave the
    // same whether or not the address has an account, and reveal nothing.
    await tx.insert(emailVerifications).values({
      email,
      code: hashOtpCode(ctx.config.jwtSecret, `${purpose}:${email}`, code),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      createdAt: now,
    });
  });
  try {
    await getMailer(ctx).send(compose(code, Boolean(registered)));
  } catch (error) {
    ctx.log.error("code mail not sent", { purpose, error: error instanceof Error ? error.message : String(error) });
    throw new ServiceError("service_unavailable", "The email could not be sent, try again later");
  }
  return { sent: true, expiresInSeconds: ttlSeconds, resendAfterSeconds: resendSeconds };
}

const wrongCode = (detail: string) =>
  new ServiceError("invalid_request", "The code is wrong or has expired", { code: detail });
const tooManyAttempts = () =>
  new ServiceError("rate_limited", "Too many wrong codes; request a new code", { code: "too many attempts" });

/**
 * Checks a code: only the newest code of the address counts and works once. Each code allows
 * `maxAttempts` wrong guesses from anyone; after that, a source that has itself guessed wrong on it is
 * refused, while a source without wrong guesses still gets one try, so guessers cannot lock the owner
 * out of the code that was mailed to them. Returns the verification row's id.
 */
export async function consumeEmailCode(
  ctx: AppContext,
  email: string,
  code: string,
  purpose: EmailCodePurpose,
  origin?: RequestOrigin,
): Promise<string> {
  const ip = ipOf(origin);
  await consumeAuthLimit(ctx, [`verify-code:ip:${ip}`, `verify-code:email-ip:${email}:${ip}`], origin);
  const { maxAttempts } = ctx.config.otp;
  const [latest] = await ctx.db
    .select()
    .from(emailVerifications)
    .where(eq(emailVerifications.email, email))
    .orderBy(desc(emailVerifications.createdAt))
    .limit(1);
  if (!latest) throw wrongCode("no code was requested for this address");
  if (latest.used) throw wrongCode("wrong code");
  if (latest.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    throw wrongCode("the code has expired; request a new one");
  }
  // Counted atomically, so parallel guesses cannot slip under the allowance together.
  const [counted] = await queryRows<{ attempts: number; code: string }>(
    ctx.db as Db,
    sql`UPDATE email_verifications SET attempts = attempts + 1
        WHERE id = ${latest.id} AND used = false
        RETURNING attempts, code`,
  );
  if (!counted) throw wrongCode("the code was already used");
  const overAllowance = counted.attempts > maxAttempts;
  if (overAllowance && (await hasGuessedWrong(ctx, latest.id, origin))) throw tooManyAttempts();
  if (!otpHashesEqual(counted.code, hashOtpCode(ctx.config.jwtSecret, `${purpose}:${email}`, code))) {
    await recordAuditEvent(ctx, { eventType: "email_code_failed", origin, details: { verificationId: latest.id } });
    const left = maxAttempts - counted.attempts;
    if (left <= 0) throw tooManyAttempts();
    throw wrongCode(`wrong code; ${left} attempt${left === 1 ? "" : "s"} left`);
  }
  const [claimed] = await queryRows<{ id: string }>(
    ctx.db as Db,
    sql`UPDATE email_verifications SET used = true WHERE id = ${latest.id} AND used = false RETURNING id`,
  );
  if (!claimed) throw wrongCode("the code was already used");
  return latest.id;
}

/** Whether this source has already guessed wrong on the code (audit rows, within the code's lifetime). */
async function hasGuessedWrong(ctx: AppContext, verificationId: string, origin?: RequestOrigin): Promise<boolean> {
  const source = origin?.ipAddress?.slice(0, 64) ?? null;
  const rows = await queryRows<{ found: number }>(
    ctx.db,
    sql`SELECT 1 AS found FROM security_audit_log
        WHERE event_type = 'email_code_failed'
          AND created_at > now() - make_interval(secs => ${ctx.config.otp.ttlSeconds + 60})
          AND ip_address IS NOT DISTINCT FROM ${source}
          AND details->>'verificationId' = ${verificationId}
        LIMIT 1`,
  );
  return rows.length > 0;
}
