import { emailVerifications, users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { consumeAuthLimit } from "../auth/consume-auth-limit";
import { parseInput } from "../auth/parse-input";
import { verifyPassword } from "../auth/password-hash";
import { invalidateRankingCaches } from "../rankings/invalidate-ranking-caches";

export const deleteAccountInputSchema = z.object({
  password: z.string().max(128).optional(),
  /** For accounts without a password: the username, typed again. */
  confirmUsername: z.string().max(64).optional(),
});
export type DeleteAccountInput = z.input<typeof deleteAccountInputSchema>;

/**
 * Deletes the account and, through the foreign keys' cascades, every session, ledger row, daily and
 * ranking row, evaluation and stat of it; audit rows stay without the user (their id is set null).
 */
export async function deleteAccount(
  ctx: AppContext,
  userId: string,
  input: DeleteAccountInput,
  origin?: RequestOrigin,
): Promise<void> {
  const { password, confirmUsername } = parseInput(deleteAccountInputSchema, input);
  await consumeAuthLimit(ctx, [`delete:user:${userId}`], origin, "sensitive", userId);
  const [user] = await ctx.db
    .select({ username: users.username, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new ServiceError("not_found", "Account not found");
  const confirmed = user.passwordHash
    ? await verifyPassword(password ?? "", user.passwordHash)
    : confirmUsername?.toLowerCase() === user.username.toLowerCase();
  if (!confirmed) {
    throw new ServiceError("forbidden", "Confirm with your password to delete the account", {
      [user.passwordHash ? "password" : "confirmUsername"]: "does not match",
    });
  }
  await ctx.db.transaction(async (tx) => {
    if (user.email) await tx.delete(emailVerifications).where(eq(emailVerifications.email, user.email));
    await tx.delete(users).where(eq(users.id, userId));
  });
  await ctx.apiKeyCache.forgetUser(userId);
  await recordAuditEvent(ctx, { userId: null, eventType: "account_deleted", origin });
  await invalidateRankingCaches(ctx);
}
