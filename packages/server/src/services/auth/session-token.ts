import { createHash, randomUUID } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";

export const SESSION_COOKIE_NAME = "modu_session";
export const SESSION_TTL_SECONDS = 7 * 86_400;
export const SIGNUP_TOKEN_TTL_SECONDS = 30 * 60;

const ISSUER = "modu-arena";
// Distinct audiences: a signup token can never be replayed as a session and vice versa.
const SESSION_AUDIENCE = "modu-arena:session";
const SIGNUP_AUDIENCE = "modu-arena:signup";

type TokenContext = Pick<AppContext, "config" | "clock">;

export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

export interface SessionClaims {
  userId: string;
  tokenId: string;
  passwordVersion: string;
  /** The user's session generation at issue; a raised generation ends the session. */
  generation: number;
  expiresAt: Date;
}

const keyOf = (ctx: TokenContext) => new TextEncoder().encode(ctx.config.jwtSecret);

/** Fingerprint of the password hash: changing the password ends every session issued before. */
export function passwordVersionOf(passwordHash: string | null): string {
  return createHash("sha256")
    .update(passwordHash ?? "none")
    .digest("hex")
    .slice(0, 16);
}

async function sign(
  ctx: TokenContext,
  audience: string,
  subject: string,
  ttlSeconds: number,
  claims: Record<string, string | number>,
): Promise<IssuedToken> {
  const issuedAt = Math.floor(ctx.clock.now().getTime() / 1000);
  const tokenId = randomUUID();
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setSubject(subject)
    .setJti(tokenId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(keyOf(ctx));
  return { token, tokenId, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
}

async function verify(ctx: TokenContext, token: string, audience: string) {
  try {
    const { payload } = await jwtVerify(token, keyOf(ctx), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience,
      currentDate: ctx.clock.now(),
      requiredClaims: ["sub", "jti", "exp"],
    });
    return payload;
  } catch (error) {
    const expired = error instanceof joseErrors.JWTExpired;
    throw new ServiceError(
      "unauthorized",
      expired ? "The session has expired, sign in again" : "Invalid session token",
    );
  }
}

export function issueSessionToken(
  ctx: TokenContext,
  user: { id: string; passwordHash: string | null; sessionGeneration: number },
): Promise<IssuedToken> {
  return sign(ctx, SESSION_AUDIENCE, user.id, SESSION_TTL_SECONDS, {
    pwv: passwordVersionOf(user.passwordHash),
    gen: user.sessionGeneration,
  });
}

/** Checks signature, issuer, audience and expiry (against the injected clock); the caller checks the user. */
export async function verifySessionToken(ctx: TokenContext, token: string): Promise<SessionClaims> {
  const payload = await verify(ctx, token, SESSION_AUDIENCE);
  // Tokens without a generation predate revocation in the database: they are refused, not trusted.
  if (typeof payload.pwv !== "string" || !Number.isSafeInteger(payload.gen)) {
    throw new ServiceError("unauthorized", "Invalid session token");
  }
  return {
    userId: payload.sub!,
    tokenId: payload.jti!,
    passwordVersion: payload.pwv,
    generation: payload.gen as number,
    expiresAt: new Date(payload.exp! * 1000),
  };
}

/** Proof that an address was verified by code, exchanged for an account by `registerUser`. */
export function issueSignupToken(ctx: TokenContext, email: string, verificationId: string): Promise<IssuedToken> {
  return sign(ctx, SIGNUP_AUDIENCE, verificationId, SIGNUP_TOKEN_TTL_SECONDS, { email });
}

export async function verifySignupToken(
  ctx: TokenContext,
  token: string,
): Promise<{ email: string; verificationId: string }> {
  const payload = await verify(ctx, token, SIGNUP_AUDIENCE).catch(() => {
    throw new ServiceError("invalid_request", "The signup token is invalid or has expired; verify your email again", {
      signupToken: "invalid or expired",
    });
  });
  if (typeof payload.email !== "string") throw new ServiceError("invalid_request", "Invalid signup token");
  return { email: payload.email, verificationId: payload.sub! };
}
