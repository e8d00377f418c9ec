import { emailVerifications, users } from "@modu-arena/db";
import { and, desc, eq, sql } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { getMailer } from "../mail/mailer";
import { buildAlreadyRegisteredMessage, buildCodeMessage } from "../mail/templates";
import { type SendCodeInput, sendCodeInputSchema } from "./auth-schemas";
import { consumeAuthLimit } from "./consume-auth-limit";
import { generateOtpCode, hashOtpCode } from "./otp-code";
import { parseInput } from "./parse-input";

export interface SendCodeResult {
  sent: true;
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

/**
 * Emails a 6-digit signup code (only its keyed hash is stored; earlier codes stop working). The answer
 * is the same whether or not the address is registered: a registered one gets a notice instead of a code.
 */
export async function sendSignupCode(
  ctx: AppContext,
  input: SendCodeInput,
  origin?: RequestOrigin,
): Promise<SendCodeResult> {
  const { email, locale } = parseInput(sendCodeInputSchema, input);
  const { ttlSeconds, resendSeconds } = ctx.config.otp;
  await consumeAuthLimit(ctx, [`send-code:ip:${origin?.ipAddress ?? "unknown"}`], origin);
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
    // A registered address gets a row too (its code is never sent), so cooldown, attempts and answers
    // behave the same and reveal nothing; a lucky guess still cannot register a taken address.
    await tx.insert(emailVerifications).values({
      email,
      code: hashOtpCode(ctx.config.jwtSecret, email, code),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      createdAt: now,
    });
  });
  const message = registered
    ? buildAlreadyRegisteredMessage(email, locale)
    : buildCodeMessage(email, code, ttlSeconds, locale);
  try {
    await getMailer(ctx).send(message);
  } catch (error) {
    ctx.log.error("signup mail not sent", { error: error instanceof Error ? error.message : String(error) });
    throw new ServiceError("service_unavailable", "The email could not be sent, try again later");
  }
  return { sent: true, expiresInSeconds: ttlSeconds, resendAfterSeconds: resendSeconds };
}
