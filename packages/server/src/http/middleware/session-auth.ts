import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../../context";
import { authenticateSession, type SessionUser } from "../../services/auth/authenticate-session";
import { type IssuedToken, SESSION_COOKIE_NAME } from "../../services/auth/session-token";
import { assertSameOriginWrite } from "./csrf";

export type SessionVariables = { sessionUser: SessionUser; authVia: "cookie" | "bearer" };

/** Where the token came from: a bearer header (the CLI) wins over the cookie (the browser). */
export function readSessionToken(c: Context): { token: string; via: "cookie" | "bearer" } | null {
  const header = c.req.header("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return { token: bearer, via: "bearer" };
  const cookie = getCookie(c, SESSION_COOKIE_NAME);
  return cookie ? { token: cookie, via: "cookie" } : null;
}

/** Requires a valid session; cookie-authenticated writes must also be same-origin (CSRF). */
export function sessionAuth(ctx: AppContext): MiddlewareHandler<{ Variables: SessionVariables }> {
  return async (c, next) => {
    const found = readSessionToken(c);
    // Checked before the token: a cross-site write is refused whether or not the cookie is valid.
    if (found?.via === "cookie") assertSameOriginWrite(c, ctx, true);
    const user = await authenticateSession(ctx, found?.token);
    c.set("sessionUser", user);
    c.set("authVia", found!.via);
    await next();
  };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Secure everywhere except plain-http loopback, where browsers would drop a Secure cookie;
 * SESSION_COOKIE_SECURE=false serves a plain-http LAN install, =true forces it.
 */
function isSecureContext(c: Context, ctx: AppContext): boolean {
  if (ctx.config.sessionCookieSecure !== "auto") return ctx.config.sessionCookieSecure === "true";
  const url = new URL(c.req.url);
  const proto = ctx.config.trustProxy ? c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  if ((proto ?? url.protocol.replace(":", "")) === "https") return true;
  return !LOOPBACK.has(url.hostname);
}

export function setSessionCookie(c: Context, ctx: AppContext, session: IssuedToken): void {
  setCookie(c, SESSION_COOKIE_NAME, session.token, {
    httpOnly: true,
    secure: isSecureContext(c, ctx),
    sameSite: "Lax",
    path: "/",
    expires: session.expiresAt,
    maxAge: Math.max(0, Math.floor((session.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context, ctx: AppContext): void {
  deleteCookie(c, SESSION_COOKIE_NAME, { path: "/", httpOnly: true, secure: isSecureContext(c, ctx), sameSite: "Lax" });
}
