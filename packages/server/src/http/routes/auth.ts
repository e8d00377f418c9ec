import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import {
  emailSchema,
  loginInputSchema,
  registerInputSchema,
  sendCodeInputSchema,
  verifyCodeInputSchema,
} from "../../services/auth/auth-schemas";
import { authenticateSession, endUserSessions } from "../../services/auth/authenticate-session";
import { loginWithPassword } from "../../services/auth/login-with-password";
import { registerUser } from "../../services/auth/register-user";
import { requestPasswordReset, resetPassword, resetPasswordInputSchema } from "../../services/auth/reset-password";
import { sendSignupCode } from "../../services/auth/send-signup-code";
import { verifySignupCode } from "../../services/auth/verify-signup-code";
import { readLatestCode, readOutbox } from "../../services/mail/dev-outbox";
import { assertSameOriginWrite, refuseCrossSite } from "../middleware/csrf";
import { clearSessionCookie, readSessionToken, setSessionCookie } from "../middleware/session-auth";
import { parseJsonBody, parseValue } from "../parse-json";
import { getClientIp, getRequestOrigin } from "../request-origin";

/** Sign-up by email code, sign-in and sign-out; the same JSON endpoints serve the web forms and the CLI. */
export function createAuthRoutes(ctx: AppContext) {
  const app = new Hono();
  const origin = (c: Parameters<typeof getRequestOrigin>[0]) => getRequestOrigin(c, ctx.config);
  app.use("*", refuseCrossSite(ctx));

  app.post("/send-code", async (c) => {
    const input = parseJsonBody(await c.req.text(), sendCodeInputSchema);
    return c.json(await sendSignupCode(ctx, input, origin(c)));
  });

  app.post("/verify-code", async (c) => {
    const input = parseJsonBody(await c.req.text(), verifyCodeInputSchema);
    return c.json(await verifySignupCode(ctx, input, origin(c)));
  });

  app.post("/register", async (c) => {
    const input = parseJsonBody(await c.req.text(), registerInputSchema);
    const result = await registerUser(ctx, input, origin(c));
    setSessionCookie(c, ctx, result.session);
    return c.json(
      { user: result.user, apiKey: result.apiKey, token: result.session.token, expiresAt: result.session.expiresAt },
      201,
    );
  });

  app.post("/login", async (c) => {
    const input = parseJsonBody(await c.req.text(), loginInputSchema);
    const result = await loginWithPassword(ctx, input, origin(c));
    setSessionCookie(c, ctx, result.session);
    return c.json({ user: result.user, token: result.session.token, expiresAt: result.session.expiresAt });
  });

  app.post("/password-reset/send-code", async (c) => {
    const input = parseJsonBody(await c.req.text(), sendCodeInputSchema);
    return c.json(await requestPasswordReset(ctx, input, origin(c)));
  });

  app.post("/password-reset", async (c) => {
    const input = parseJsonBody(await c.req.text(), resetPasswordInputSchema);
    const result = await resetPassword(ctx, input, origin(c));
    setSessionCookie(c, ctx, result.session);
    const { user, session, apiKey } = result;
    return c.json({ user, token: session.token, expiresAt: session.expiresAt, ...(apiKey ? { apiKey } : {}) });
  });

  app.post("/logout", async (c) => {
    const found = readSessionToken(c);
    if (found?.via === "cookie") assertSameOriginWrite(c, ctx, true);
    if (found) {
      try {
        // Every session of the user ends, not only this one: a token copied elsewhere stops too.
        await endUserSessions(ctx.db, (await authenticateSession(ctx, found.token)).id);
      } catch (error) {
        // Signing out with an already invalid session is still a successful sign-out.
        if (!(error instanceof ServiceError && error.code === "unauthorized")) throw error;
      }
    }
    clearSessionCookie(c, ctx);
    return c.json({ ok: true });
  });

  return app;
}

// Loopback clients, or in-process calls without a socket ("unknown"): never a remote visitor.
const LOCAL_CLIENTS = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1", "unknown"]);

/**
 * `GET /api/dev/outbox?email=`: the dev outbox, for browser tests. Absent in production, and answered
 * only to the machine itself, so a development server on a network does not hand out signup codes.
 */
export function createDevOutboxRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/outbox", async (c) => {
    const local = LOCAL_CLIENTS.has(getClientIp(c, ctx.config));
    if (ctx.config.env === "production" || !local) throw new ServiceError("not_found", "Not found");
    const { email } = parseValue(c.req.query(), z.object({ email: emailSchema }), "Invalid query parameters");
    return c.json({ email, messages: await readOutbox(ctx, email), latestCode: await readLatestCode(ctx, email) });
  });
  return app;
}
