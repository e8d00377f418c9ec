import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApiServer, startApiServer } from "../src/testing/start-api-server";

let server: RunningApiServer;

beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => server.close());

/** Over a real socket, as a browser would: Origin header, cookies carried by hand. */
async function post(path: string, body: unknown, cookie?: string) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

describe("auth over HTTP", () => {
  it("signs up through the dev outbox endpoint, uses the cookie, and signs out", async () => {
    const email = "http-user@example.com";
    expect((await post("/api/auth/send-code", { email })).status).toBe(200);
    const outbox = await (await fetch(`${server.url}/api/dev/outbox?email=${encodeURIComponent(email)}`)).json();
    expect(outbox.latestCode).toMatch(/^\d{6}$/);
    const verified = await post("/api/auth/verify-code", { email, code: outbox.latestCode });
    const { signupToken } = await verified.json();
    const registered = await post("/api/auth/register", {
      signupToken,
      username: "http-user",
      password: "a long enough password",
    });
    expect(registered.status).toBe(201);
    const cookie = registered.headers.getSetCookie()[0]!.split(";")[0]!;
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect((await me.json()).username).toBe("http-user");
    const stats = await fetch(`${server.url}/api/me/stats?tz=Asia/Seoul`, { headers: { cookie } });
    expect(stats.status).toBe(200);
    expect((await stats.json()).heatmap).toHaveLength(365);
    expect((await post("/api/auth/logout", {}, cookie)).status).toBe(200);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });
});
