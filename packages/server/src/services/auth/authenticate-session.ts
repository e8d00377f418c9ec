import { type Db, users } from "@modu-arena/db";
import { eq, sql } from "drizzle-orm";
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
  /** The token's id and expiry. */
  tokenId: string;
  expiresAt: Date;
}

const SESSION_ENDED = "The session has ended, sign in again";

/**
 * The signed-in user of a session JWT (cookie or bearer). Refused when the token is forged, expired,
 * signed out (its generation is below the user's), issued before the last password change, or its user
 * is gone. The user row is read from the database on every request, so no cache can decide "valid".
 */
export async function authenticateSession(ctx: AppContext, token: string | undefined | null): Promise<SessionUser> {
  if (!token) throw new ServiceError("unauthorized", "Sign in to continue");
  const claims = await verifySessionToken(ctx, token);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, claims.userId)).limit(1);
  if (
    !user ||
    user.sessionGeneration !== claims.generation ||
    passwordVersionOf(user.passwordHash) !== claims.passwordVersion
  ) {
    throw new ServiceError("unauthorized", SESSION_ENDED);
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
 * Ends every session of the user, on every instance and across restarts: the generation lives in
 * PostgreSQL and each session token carries the one it was issued under. Returns the new generation,
 * for a token issued right after (password change or reset).
 */
export async function endUserSessions(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionGeneration: sql`${users.sessionGeneration} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionGeneration: users.sessionGeneration });
  return row?.sessionGeneration ?? 0;
}
