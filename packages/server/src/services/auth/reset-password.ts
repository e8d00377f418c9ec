import { users } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { rotateApiKey } from "../api-keys/rotate-api-key";
import { recordAuditEvent } from "../audit/record-audit-event";
import { buildNoAccountMessage, buildResetCodeMessage } from "../mail/templates";
import { type AuthUser, emailSchema, type SendCodeInput, sendCodeInputSchema } from "./auth-schemas";
import { AUTH_USER_COLUMNS } from "./auth-user-columns";
import { consumeEmailCode, issueEmailCode, type SendCodeResult } from "./email-code";
import { parseInput } from "./parse-input";
import { hashPassword, passwordSchema } from "./password-hash";
import { type IssuedToken, issueSessionToken } from "./session-token";
import { setPasswordEndingSessions } from "./set-password";

export const resetPasswordInputSchema = z.object({
  email: emailSchema,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "6 digits"),
  newPassword: passwordSchema,
  /** Also replace the API key: whoever learned the password may have read the key too. */
  rotateApiKey: z.boolean().optional(),
});
export type ResetPasswordInput = z.input<typeof resetPasswordInputSchema>;

/** Emails a reset code; an address without an account gets a notice instead, and the same answer. */
export async function requestPasswordReset(
  ctx: AppContext,
  input: SendCodeInput,
  origin?: RequestOrigin,
): Promise<SendCodeResult> {
  const { email, locale } = parseInput(sendCodeInputSchema, input);
  return issueEmailCode(ctx, email, "reset", origin, (code, registered) =>
    registered
      ? buildResetCodeMessage(email, code, ctx.config.otp.ttlSeconds, locale)
      : buildNoAccountMessage(email, locale),
  );
}

/**
 * Sets a new password with a reset code and signs in. Every earlier session ends; an unknown address
 * fails like a wrong code. With `rotateApiKey` the API key is replaced too and the new one returned once.
 */
export async function resetPassword(
  ctx: AppContext,
  input: ResetPasswordInput,
  origin?: RequestOrigin,
): Promise<{ user: AuthUser; session: IssuedToken; apiKey?: string }> {
  const { email, code, newPassword, rotateApiKey: rotateKey } = parseInput(resetPasswordInputSchema, input);
  await consumeEmailCode(ctx, email, code, "reset", origin);
  const [user] = await ctx.db
    .select(AUTH_USER_COLUMNS)
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  if (!user) throw new ServiceError("invalid_request", "The code is wrong or has expired", { code: "wrong code" });
  const passwordHash = await hashPassword(newPassword);
  const sessionGeneration = await setPasswordEndingSessions(ctx, user.id, passwordHash);
  await recordAuditEvent(ctx, { userId: user.id, eventType: "password_changed", origin, details: { via: "reset" } });
  const session = await issueSessionToken(ctx, { id: user.id, passwordHash, sessionGeneration });
  if (!rotateKey) return { user, session };
  return { user, session, apiKey: (await rotateApiKey(ctx, user.id, origin)).apiKey };
}
