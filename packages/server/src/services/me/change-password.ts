import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { consumeAuthLimit } from "../auth/consume-auth-limit";
import { parseInput } from "../auth/parse-input";
import { hashPassword, passwordSchema, verifyPassword } from "../auth/password-hash";
import { type IssuedToken, issueSessionToken } from "../auth/session-token";
import { setPasswordEndingSessions } from "../auth/set-password";

export const changePasswordInputSchema = z.object({
  /** Absent only for accounts that never had a password (created by an operator). */
  currentPassword: z.string().max(128).optional(),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;

/** Replaces the password; every other session of the user ends, on every instance. */
export async function changePassword(
  ctx: AppContext,
  userId: string,
  input: ChangePasswordInput,
  origin?: RequestOrigin,
): Promise<IssuedToken> {
  const { currentPassword, newPassword } = parseInput(changePasswordInputSchema, input);
  await consumeAuthLimit(ctx, [`password:user:${userId}`], origin, "sensitive", userId);
  const [user] = await ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) throw new ServiceError("not_found", "Account not found");
  if (user.passwordHash && !(await verifyPassword(currentPassword ?? "", user.passwordHash))) {
    throw new ServiceError("forbidden", "The current password is wrong", { currentPassword: "wrong password" });
  }
  const passwordHash = await hashPassword(newPassword);
  const sessionGeneration = await setPasswordEndingSessions(ctx, userId, passwordHash);
  await recordAuditEvent(ctx, { userId, eventType: "password_changed", origin });
  return issueSessionToken(ctx, { id: userId, passwordHash, sessionGeneration });
}
