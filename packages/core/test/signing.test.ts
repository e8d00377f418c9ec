import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signRequest, verifySignature } from "../src/signing";

const apiKey = "modu_arena_AbCdEf12_0123456789abcdefghijABCDEFGHIJkl";
const body = JSON.stringify({ toolType: "claude-code", sessionId: "s1" });
const now = 1_760_000_000;

describe("signRequest", () => {
  it("is HMAC-SHA256 of `timestamp:body` keyed by the API key", () => {
    const expected = createHmac("sha256", apiKey).update(`${now}:${body}`).digest("hex");
    expect(signRequest(apiKey, now, body)).toBe(expected);
  });
});

describe("verifySignature", () => {
  const good = {
    apiKey,
    timestampHeader: String(now),
    signatureHeader: signRequest(apiKey, now, body),
    body,
    nowSeconds: now,
  };

  it("accepts a good signature, in any letter case", () => {
    expect(verifySignature(good)).toEqual({ ok: true, timestamp: now });
    expect(verifySignature({ ...good, signatureHeader: good.signatureHeader.toUpperCase() }).ok).toBe(true);
  });

  it("accepts the edges of the 5-minute window and refuses beyond", () => {
    expect(verifySignature({ ...good, nowSeconds: now + 300 }).ok).toBe(true);
    expect(verifySignature({ ...good, nowSeconds: now - 300 }).ok).toBe(true);
    expect(verifySignature({ ...good, nowSeconds: now + 301 })).toEqual({ ok: false, reason: "timestamp_expired" });
    expect(verifySignature({ ...good, nowSeconds: now - 301 })).toEqual({ ok: false, reason: "timestamp_expired" });
  });

  it("refuses a signature over another body, key or timestamp", () => {
    expect(verifySignature({ ...good, body: `${body} ` }).ok).toBe(false);
    expect(verifySignature({ ...good, apiKey: `${apiKey.slice(0, -1)}m` }).ok).toBe(false);
    expect(verifySignature({ ...good, timestampHeader: String(now + 1) })).toEqual({
      ok: false,
      reason: "signature_invalid",
    });
  });

  it("names what is missing or malformed", () => {
    expect(verifySignature({ ...good, timestampHeader: undefined })).toEqual({
      ok: false,
      reason: "missing_timestamp",
    });
    expect(verifySignature({ ...good, signatureHeader: "" })).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifySignature({ ...good, timestampHeader: "1e9" })).toEqual({ ok: false, reason: "timestamp_expired" });
    expect(verifySignature({ ...good, signatureHeader: "zz" })).toEqual({ ok: false, reason: "signature_invalid" });
    expect(verifySignature({ ...good, signatureHeader: good.signatureHeader.slice(0, 62) })).toEqual({
      ok: false,
      reason: "signature_invalid",
    });
  });
});
