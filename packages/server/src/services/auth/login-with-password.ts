import { users } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { type AuthUser, type LoginInput, loginInputSchema } from "./auth-schemas";
import { AUTH_USER_COLUMNS } from "./auth-user-columns";
import { checkAccountLockout } from "./check-account-lockout";
import { consumeAuthLimit } from "./consume-auth-limit";
import { parseInput } from "./parse-input";
import { verifyPassword } from "./password-hash";
import { type IssuedToken, issueSessionToken } from "./session-token";

export interface LoginResult {
  user: AuthUser;
  session: IssuedToken;
}

/**
 * Signs in with username or email and password. Limited per client address and per account name;
 * unknown accounts cost the same scrypt work and get the same answer as a wrong password.
 */
export async function loginWithPassword(
  ctx: AppContext,
  input: LoginInput,
  origin?: RequestOrigin,
): Promise<LoginResult> {
  const { login, password } = parseInput(loginInputSchema, input);
  const account = login.toLowerCase();
  await consumeAuthLimit(ctx, [`login:ip:${origin?.ipAddress ?? "unknown"}`, `login:account:${account}`], origin);
  const [user] = await ctx.db
    .select({ ...AUTH_USER_COLUMNS, passwordHash: users.passwordHash, sessionGeneration: users.sessionGeneration })
    .from(users)
    .where(sql`lower(${users.username}) = ${account} OR lower(${users.email}) = ${account}`)
    .limit(1);
  if (user) await checkAccountLockout(ctx, user.id);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok) {
    await recordAuditEvent(ctx, {
      userId: user?.id ?? null,
      eventType: "login_failed",
      origin,
      details: { reason: user ? "wrong_password" : "unknown_account" },
    });
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
