import { type Db, emailVerifications, queryRows } from "@modu-arena/db";
import { desc, eq, sql } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { type VerifyCodeInput, verifyCodeInputSchema } from "./auth-schemas";
import { consumeAuthLimit } from "./consume-auth-limit";
import { hashOtpCode, otpHashesEqual } from "./otp-code";
import { parseInput } from "./parse-input";
import { issueSignupToken } from "./session-token";

export interface VerifyCodeResult {
  signupToken: string;
  email: string;
  expiresAt: string;
}

const wrongCode = (detail: string) =>
  new ServiceError("invalid_request", "The code is wrong or has expired", { code: detail });

/**
 * Checks a signup code: only the newest code of the address counts, each code allows `maxAttempts`
 * guesses (counted atomically, so parallel guesses cannot exceed it) and works once.
 */
export async function verifySignupCode(
  ctx: AppContext,
  input: VerifyCodeInput,
  origin?: RequestOrigin,
): Promise<VerifyCodeResult> {
  const { email, code } = parseInput(verifyCodeInputSchema, input);
  await consumeAuthLimit(
    ctx,
    [`verify-code:ip:${origin?.ipAddress ?? "unknown"}`, `verify-code:email:${email}`],
    origin,
  );
  const { maxAttempts } = ctx.config.otp;
  const now = ctx.clock.now();
  const [latest] = await ctx.db
    .select()
    .from(emailVerifications)
    .where(eq(emailVerifications.email, email))
    .orderBy(desc(emailVerifications.createdAt))
    .limit(1);
  if (!latest) throw wrongCode("no code was requested for this address");
  if (latest.attempts >= maxAttempts) throw tooManyAttempts();
  if (latest.used) throw wrongCode("wrong code");
  if (latest.expiresAt.getTime() <= now.getTime()) throw wrongCode("the code has expired; request a new one");

  const [counted] = await queryRows<{ attempts: number; code: string }>(
    ctx.db as Db,
    sql`UPDATE email_verifications SET attempts = attempts + 1
        WHERE id = ${latest.id} AND used = false AND attempts < ${maxAttempts}
        RETURNING attempts, code`,
  );
  if (!counted) throw tooManyAttempts();
  if (!otpHashesEqual(counted.code, hashOtpCode(ctx.config.jwtSecret, email, code))) {
    const left = maxAttempts - counted.attempts;
    if (left <= 0) throw tooManyAttempts();
    throw wrongCode(`wrong code; ${left} attempt${left === 1 ? "" : "s"} left`);
  }
  const [claimed] = await queryRows<{ id: string }>(
    ctx.db as Db,
    sql`UPDATE email_verifications SET used = true WHERE id = ${latest.id} AND used = false RETURNING id`,
  );
  if (!claimed) throw wrongCode("the code was already used");
  const issued = await issueSignupToken(ctx, email, latest.id);
  return { signupToken: issued.token, email, expiresAt: issued.expiresAt.toISOString() };
}

function tooManyAttempts(): ServiceError {
  return new ServiceError("rate_limited", "Too many wrong codes; request a new code", { code: "too many attempts" });
}
