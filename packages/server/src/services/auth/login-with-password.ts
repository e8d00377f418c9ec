import { users } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { addressKey } from "../../infra/rate-limit";
import { recordAuditEvent } from "../audit/record-audit-event";
import { type AuthUser, type LoginInput, loginInputSchema } from "./auth-schemas";
import { AUTH_USER_COLUMNS } from "./auth-user-columns";
import { isSignInBraked } from "./check-account-brake";
import { consumeAuthLimit } from "./consume-auth-limit";
import { parseInput } from "./parse-input";
import { verifyPassword } from "./password-hash";
import { type IssuedToken, issueSessionToken } from "./session-token";

export interface LoginResult {
  user: AuthUser;
  session: IssuedToken;
}

/**
 * Signs in with username or email and password. Limited per client address and per account name from
 * that address, so nobody can spend the owner's attempts; an account under attack brakes the guessing
 * sources only (`isSignInBraked`). Unknown accounts cost the same queries and scrypt work and get the
 * same answer as a wrong password or a braked attempt.
 */
export async function loginWithPassword(
  ctx: AppContext,
  input: LoginInput,
  origin?: RequestOrigin,
): Promise<LoginResult> {
  const { login, password } = parseInput(loginInputSchema, input);
  const account = login.toLowerCase();
  const ip = addressKey(origin?.ipAddress);
  await consumeAuthLimit(ctx, [`login:ip:${ip}`, `login:account-ip:${account}:${ip}`], origin);
  const [user] = await ctx.db
    .select({ ...AUTH_USER_COLUMNS, passwordHash: users.passwordHash, sessionGeneration: users.sessionGeneration })
    .from(users)
    .where(sql`lower(${users.username}) = ${account} OR lower(${users.email}) = ${account}`)
    .limit(1);
  const braked = await isSignInBraked(ctx, user?.id, origin?.ipAddress);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok || braked) {
    const reason = !user ? "unknown_account" : braked ? "braked" : "wrong_password";
    await recordAuditEvent(ctx, { userId: user?.id ?? null, eventType: "login_failed", origin, details: { reason } });
    throw new ServiceError("unauthorized", "Wrong username, email or password");
  }
  await recordAuditEvent(ctx, { userId: user.id, eventType: "login_succeeded", origin });
  const session = await issueSessionToken(ctx, user);
  return {
    user: {
      id: user.id,
      username: user.username,
      email: user.email,
      displayName: user.displayName,
      privacyMode: user.privacyMode,
    },
    session,
  };
}
