import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../src/config/env";
import { createApiApp } from "../src/http/app";
import { getClientIp, type ProxyTrust } from "../src/http/request-origin";
import { addressKey } from "../src/infra/rate-limit";
import { createTestContext, type TestContext } from "../src/testing/test-context";

async function clientIpOf(proxy: ProxyTrust, forwardedFor?: string): Promise<string> {
  const app = new Hono().get("/", (c) => c.text(getClientIp(c, proxy)));
  const headers: Record<string, string> = forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor };
  return (await app.request("/", { headers })).text();
}

describe("the client address behind trusted proxies", () => {
  it("is the entry the configured number of hops from the right, never a client-chosen leftmost one", async () => {
    const one = { trustProxy: true, trustProxyHops: 1 };
    expect(await clientIpOf(one, "203.0.113.5")).toBe("203.0.113.5");
    expect(await clientIpOf(one, "1.1.1.1, 203.0.113.5")).toBe("203.0.113.5");
    expect(await clientIpOf({ trustProxy: true, trustProxyHops: 2 }, "1.1.1.1, 203.0.113.5, 10.0.0.2")).toBe(
      "203.0.113.5",
    );
    // Fewer entries than proxies: the furthest one there is.
    expect(await clientIpOf({ trustProxy: true, trustProxyHops: 3 }, "203.0.113.5, 10.0.0.2")).toBe("203.0.113.5");
  });

  it("ignores the header without TRUST_PROXY, and an entry that is no address", async () => {
    expect(await clientIpOf({ trustProxy: false, trustProxyHops: 1 }, "203.0.113.5")).toBe("unknown");
    expect(await clientIpOf({ trustProxy: true, trustProxyHops: 1 }, "1.1.1.1, not-an-address")).toBe("unknown");
  });

  it("TRUST_PROXY_HOPS defaults to 1 and must be a whole number from 1 to 10", () => {
    expect(parseEnv({}).TRUST_PROXY_HOPS).toBe(1);
    expect(parseEnv({ TRUST_PROXY_HOPS: "2" }).TRUST_PROXY_HOPS).toBe(2);
    for (const bad of ["0", "-1", "1.5", "eleven", "11"]) {
      expect(() => parseEnv({ TRUST_PROXY_HOPS: bad })).toThrow(/TRUST_PROXY_HOPS/);
    }
  });
});

describe("per-address limits", () => {
  it("count IPv6 clients by their /64 and IPv4 clients by the whole address", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
    expect(addressKey("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey(undefined)).toBe("unknown");
  });

  let test: TestContext;
  beforeAll(async () => {
    test = await createTestContext({ env: { TRUST_PROXY: "true", RATE_LIMIT_PUBLIC_PER_MIN: "3" } });
  });
  afterAll(async () => test.close());

  const statusesFrom = async (forwardedFor: (n: number) => string) => {
    const app = createApiApp(test.ctx);
    const statuses = [];
    for (let n = 0; n < 4; n++) {
      const res = await app.request("/api/stats", { headers: { "x-forwarded-for": forwardedFor(n) } });
      statuses.push(res.status);
    }
    return statuses;
  };

  it("cannot be dodged by a changing leftmost X-Forwarded-For entry", async () => {
    expect(await statusesFrom((n) => `10.9.9.${n}, 203.0.113.20`)).toEqual([200, 200, 200, 429]);
  });

  it("cannot be dodged by changing addresses inside one IPv6 /64", async () => {
    expect(await statusesFrom((n) => `2001:db8:77:1::${n + 1}`)).toEqual([200, 200, 200, 429]);
    expect((await statusesFrom(() => "2001:db8:77:2::1"))[0]).toBe(200);
  });
});
