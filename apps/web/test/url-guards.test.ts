import { describe, expect, it } from "vitest";
import { DEFAULT_NEXT, decodeUrlComponent, isDecodablePath, sanitizeNext } from "../src/lib/url-guards";

describe("the next of a sign-in link", () => {
  it("keeps same-origin paths with their query", () => {
    for (const next of ["/dashboard", "/en/settings", "/en/users/ann?period=all-time&page=2", "/en/users/a%20b"]) {
      expect(sanitizeNext(next)).toBe(next);
    }
    expect(sanitizeNext(["/en/settings", "/evil"])).toBe("/en/settings");
  });

  it("refuses other hosts, header injection, odd characters and broken escapes", () => {
    for (const next of [
      undefined,
      "",
      "dashboard",
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/%2F%2Fevil.example",
      "/\r\nSet-Cookie: x=1",
      "/%0D%0ASet-Cookie:%20x=1",
      "/a b",
      '/"><script>',
      "/ab%E0",
      "/%",
      `/${"a".repeat(2000)}`,
    ]) {
      expect(sanitizeNext(next), JSON.stringify(next)).toBe(DEFAULT_NEXT);
    }
  });
});

describe("percent-decoding of request paths", () => {
  it("answers null or false for malformed escapes instead of throwing", () => {
    expect(decodeUrlComponent("%25")).toBe("%");
    expect(decodeUrlComponent("ab%E0")).toBeNull();
    expect(decodeUrlComponent("%")).toBeNull();
    expect(isDecodablePath("/en/users/%25")).toBe(true);
    expect(isDecodablePath("/en/users/ab%E0")).toBe(false);
    expect(isDecodablePath("/en/users/%")).toBe(false);
    expect(isDecodablePath("/en/users/%F0%9F%98%80")).toBe(true);
  });
});
