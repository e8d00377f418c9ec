import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { getMailer, type MailMessage, setMailer } from "../src/services/mail/mailer";
import { buildCodeMessage } from "../src/services/mail/templates";
import { createTestContext, type TestContext } from "../src/testing/test-context";
import { jsonRequest } from "./auth-helpers";

let test: TestContext;
let app: Hono;

beforeAll(async () => {
  test = await createTestContext({ env: { RATE_LIMIT_AUTH_PER_MIN: "1000" } });
  app = createApiApp(test.ctx);
});
afterAll(async () => test.close());

describe("mail transport", () => {
  it("uses the dev outbox without SMTP_URL, SMTP with it, Gmail OAuth2 with the seed's variables", async () => {
    expect(getMailer(test.ctx).kind).toBe("outbox");
    const smtp = await createTestContext({ env: { SMTP_URL: "smtp://user:pass@127.0.0.1:2525", MAIL_FROM: "a@b.c" } });
    expect(getMailer(smtp.ctx).kind).toBe("smtp");
    expect(smtp.ctx.config.mail.from).toBe("a@b.c");
    await smtp.close();
    const gmail = await createTestContext({
      env: {
        GMAIL_CLIENT_ID: "id",
        GMAIL_CLIENT_SECRET: "secret",
        GMAIL_REFRESH_TOKEN: "refresh",
        GMAIL_USER: "arena@gmail.com",
      },
    });
    expect(getMailer(gmail.ctx).kind).toBe("gmail");
    expect(gmail.ctx.config.mail.from).toBe("arena@gmail.com");
    await gmail.close();
  });

  it("sends the code in the requested language", async () => {
    const sent: MailMessage[] = [];
    setMailer(test.ctx, { kind: "smtp", send: async (message) => void sent.push(message) });
    const res = await jsonRequest(app, "POST", "/api/auth/send-code", { email: "ko@example.com", locale: "ko" });
    expect(res.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe("Modu-Arena 인증 코드");
    expect(sent[0]!.text).toMatch(/인증 코드는 \d{6} 입니다/);
    expect(sent[0]!.html).toContain("10분");
  });

  it("answers 503 when the transport fails, without leaking the error", async () => {
    setMailer(test.ctx, {
      kind: "smtp",
      send: async () => {
        throw new Error("connect ECONNREFUSED 10.0.0.1:25 user=secret");
      },
    });
    const res = await jsonRequest(app, "POST", "/api/auth/send-code", { email: "down@example.com" });
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain("10.0.0.1");
  });

  it("escapes HTML in messages", () => {
    expect(buildCodeMessage("x@y.z", "123456", 600).html).toContain("123456");
    expect(buildCodeMessage("x@y.z", "<b>", 600).html).not.toContain("<b>");
  });
});

describe("GET /api/dev/outbox", () => {
  it("answers only local clients, and never in production", async () => {
    const proxied = await createTestContext({ env: { TRUST_PROXY: "true", RATE_LIMIT_AUTH_PER_MIN: "1000" } });
    const proxiedApp = createApiApp(proxied.ctx);
    const read = (ip: string) =>
      proxiedApp.request("/api/dev/outbox?email=a@example.com", { headers: { "x-forwarded-for": ip } });
    expect((await read("127.0.0.1")).status).toBe(200);
    expect((await read("203.0.113.9")).status).toBe(404);
    await proxied.close();
    const production = await createTestContext({ env: { NODE_ENV: "production" } });
    const res = await createApiApp(production.ctx).request("/api/dev/outbox?email=a@example.com");
    expect(res.status).toBe(404);
    await production.close();
  });
});
