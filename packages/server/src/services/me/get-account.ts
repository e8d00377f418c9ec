import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";

export interface Account {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  privacyMode: boolean;
  timezone: string;
  locale: string | null;
  createdAt: string;
  hasPassword: boolean;
  /** The key itself is never readable again; only its prefix identifies it. */
  apiKey: { prefix: string; createdAt: string | null } | null;
}

/** The signed-in user's own account, for `/api/me` and the settings page. */
export async function getAccount(ctx: AppContext, userId: string): Promise<Account> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ServiceError("not_found", "Account not found");
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    avatarUrl: user.githubAvatarUrl,
    privacyMode: user.privacyMode,
    timezone: user.timezone,
    locale: user.locale,
    createdAt: user.createdAt.toISOString(),
    hasPassword: Boolean(user.passwordHash),
    apiKey: user.apiKeyPrefix
      ? { prefix: user.apiKeyPrefix, createdAt: user.apiKeyCreatedAt?.toISOString() ?? null }
      : null,
  };
}
