import { emailVerifications } from "@modu-arena/db";
import { and, eq } from "drizzle-orm";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { addressKey } from "../../infra/rate-limit";
import { createUser } from "../users/create-user";
import { type AuthUser, type RegisterInput, registerInputSchema } from "./auth-schemas";
import { consumeAuthLimit } from "./consume-auth-limit";
import { parseInput } from "./parse-input";
import { hashPassword } from "./password-hash";
import { type IssuedToken, issueSessionToken, verifySignupToken } from "./session-token";

export interface RegisterResult {
  user: AuthUser;
  /** Shown once: only its hash is stored. */
  apiKey: string;
  session: IssuedToken;
}

/** Turns a verified address into an account with a password, a first API key and a session. */
export async function registerUser(
  ctx: AppContext,
  input: RegisterInput,
  origin?: RequestOrigin,
): Promise<RegisterResult> {
  const parsed = parseInput(registerInputSchema, input);
  await consumeAuthLimit(ctx, [`register:ip:${addressKey(origin?.ipAddress)}`], origin);
  const { email, verificationId } = await verifySignupToken(ctx, parsed.signupToken);
  const [verification] = await ctx.db
    .select({ id: emailVerifications.id })
    .from(emailVerifications)
    .where(
      and(
        eq(emailVerifications.id, verificationId),
        eq(emailVerifications.email, email),
        eq(emailVerifications.used, true),
      ),
    );
  if (!verification) throw new ServiceError("invalid_request", "Verify your email again", { signupToken: "unknown" });
  const passwordHash = await hashPassword(parsed.password);
  // The unique index on lower(email) makes the token single-use: a second account for it is a conflict.
  const created = await createUser(ctx, { username: parsed.username, email, passwordHash, withApiKey: true });
  const session = await issueSessionToken(ctx, { id: created.id, passwordHash, sessionGeneration: 0 });
  return {
    user: { id: created.id, username: created.username, email, displayName: null, privacyMode: false },
    apiKey: created.apiKey!,
    session,
  };
}
