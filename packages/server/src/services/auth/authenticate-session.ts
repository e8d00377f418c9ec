import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { passwordVersionOf, verifySessionToken } from "./session-token";

export interface SessionUser {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  privacyMode: boolean;
  timezone: string;
  locale: string | null;
  /** The token's id and expiry, for sign-out. */
  tokenId: string;
  expiresAt: Date;
}

const REVOKED_PREFIX = "session-revoked:";

/**
 * The signed-in user of a session JWT (cookie or bearer). Refused when the token is forged, expired,
 * signed out, issued before the last password change, or its user is gone.
 */
export async function authenticateSession(ctx: AppContext, token: string | undefined | null): Promise<SessionUser> {
  if (!token) throw new ServiceError("unauthorized", "Sign in to continue");
  const claims = await verifySessionToken(ctx, token);
  if (await ctx.cache.get<boolean>(`${REVOKED_PREFIX}${claims.tokenId}`)) {
    throw new ServiceError("unauthorized", "The session has ended, sign in again");
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.id, claims.userId)).limit(1);
  if (!user || passwordVersionOf(user.passwordHash) !== claims.passwordVersion) {
    throw new ServiceError("unauthorized", "The session has ended, sign in again");
  }
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    privacyMode: user.privacyMode,
    timezone: user.timezone,
    locale: user.locale,
    tokenId: claims.tokenId,
    expiresAt: claims.expiresAt,
  };
}

/** For pages: the signed-in user, or null when there is no valid session. */
export async function getSessionUser(ctx: AppContext, token: string | undefined | null): Promise<SessionUser | null> {
  try {
    return await authenticateSession(ctx, token);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "unauthorized") return null;
    throw error;
  }
}

/**
 * Ends one session before its expiry. JWTs are stateless, so the id is kept on a deny-list in the
 * cache until the token would have expired anyway (shared through Redis when configured).
 */
export async function revokeSession(
  ctx: AppContext,
  session: Pick<SessionUser, "tokenId" | "expiresAt">,
): Promise<void> {
  const ttl = Math.ceil((session.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000);
  if (ttl > 0) await ctx.cache.set(`${REVOKED_PREFIX}${session.tokenId}`, true, ttl);
}
