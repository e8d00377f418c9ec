import type { Hono } from "hono";
import type { AppContext } from "../src/context";
import { readLatestCode } from "../src/services/mail/dev-outbox";

export const SAME_ORIGIN = "http://localhost";

/** A JSON request as the web app would send it (same-origin), optionally with a session cookie or bearer. */
export function jsonRequest(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
  auth: { cookie?: string; bearer?: string; origin?: string | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...auth.headers };
  if (auth.origin !== null) headers.origin = auth.origin ?? SAME_ORIGIN;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** `modu_session=<jwt>` from a response's Set-Cookie, for the next request's Cookie header. */
export function sessionCookieOf(res: Response): string {
  const header = res.headers.get("set-cookie") ?? "";
  const match = /modu_session=([^;]*)/.exec(header);
  if (!match) throw new Error(`no session cookie in: ${header}`);
  return `modu_session=${match[1]}`;
}

export interface SignedUp {
  id: string;
  username: string;
  apiKey: string;
  token: string;
  cookie: string;
}

/** The whole signup flow through the API, reading the code from the dev outbox. */
export async function signUp(
  app: Hono,
  ctx: AppContext,
  username: string,
  password = "correct horse battery",
): Promise<SignedUp> {
  const email = `${username.toLowerCase()}@example.com`;
  const sent = await jsonRequest(app, "POST", "/api/auth/send-code", { email });
  if (sent.status !== 200) throw new Error(`send-code ${sent.status}: ${await sent.text()}`);
  const code = await readLatestCode(ctx, email);
  const verified = await jsonRequest(app, "POST", "/api/auth/verify-code", { email, code });
  if (verified.status !== 200) throw new Error(`verify-code ${verified.status}: ${await verified.text()}`);
  const { signupToken } = await verified.json();
  const registered = await jsonRequest(app, "POST", "/api/auth/register", { signupToken, username, password });
  if (registered.status !== 201) throw new Error(`register ${registered.status}: ${await registered.text()}`);
  const body = await registered.json();
  return { id: body.user.id, username, apiKey: body.apiKey, token: body.token, cookie: sessionCookieOf(registered) };
}
