import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sessionInputSchema } from "../src/contracts/session";
import { SIGNATURE_WINDOW_SECONDS, signRequest, verifySignature } from "../src/signing";
import { TOOL_TYPES } from "../src/tools";

const apiKey = fc
  .tuple(fc.string({ unit: fc.constantFrom(..."abcdefghXYZ0123456789"), minLength: 8, maxLength: 8 }), fc.string())
  .map(([prefix, rest]) => `modu_arena_${prefix}_${rest}`);
const body = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);
const now = 1_760_000_000;
const inWindow = fc.integer({ min: now - SIGNATURE_WINDOW_SECONDS, max: now + SIGNATURE_WINDOW_SECONDS });

describe("verifySignature (property)", () => {
  it("accepts exactly the signed body, key and timestamp", () => {
    fc.assert(
      fc.property(apiKey, body, body, inWindow, (key, signed, other, timestamp) => {
        const signature = signRequest(key, timestamp, signed);
        const check = (b: string, k = key) =>
          verifySignature({
            apiKey: k,
            timestampHeader: String(timestamp),
            signatureHeader: signature,
            body: b,
            nowSeconds: now,
          });
        expect(check(signed)).toEqual({ ok: true, timestamp });
        if (other !== signed) expect(check(other)).toEqual({ ok: false, reason: "signature_invalid" });
        expect(check(signed, `${key}x`).ok).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it("refuses any changed signature character and any timestamp outside the window", () => {
    fc.assert(
      fc.property(
        apiKey,
        body,
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: SIGNATURE_WINDOW_SECONDS + 1, max: 10_000_000 }),
        fc.boolean(),
        (key, signed, position, skew, past) => {
          const signature = signRequest(key, now, signed);
          const flipped = signature[position] === "0" ? "1" : "0";
          const forged = signature.slice(0, position) + flipped + signature.slice(position + 1);
          const base = { apiKey: key, timestampHeader: String(now), body: signed, nowSeconds: now };
          expect(verifySignature({ ...base, signatureHeader: forged }).ok).toBe(false);
          const timestamp = past ? now - skew : now + skew;
          const stale = signRequest(key, timestamp, signed);
          expect(verifySignature({ ...base, timestampHeader: String(timestamp), signatureHeader: stale })).toEqual({
            ok: false,
            reason: "timestamp_expired",
          });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("never throws on arbitrary headers and accepts none of them", () => {
    const header = fc.option(fc.string({ unit: "binary", maxLength: 200 }), { nil: undefined });
    fc.assert(
      fc.property(apiKey, header, header, body, (key, timestampHeader, signatureHeader, b) => {
        const check = verifySignature({ apiKey: key, timestampHeader, signatureHeader, body: b, nowSeconds: now });
        if (check.ok) expect(signatureHeader?.trim().toLowerCase()).toBe(signRequest(key, check.timestamp, b));
      }),
      { numRuns: 2000 },
    );
  });
});

const FORBIDDEN = ["__proto__", "constructor", "prototype"];

function hasForbiddenKey(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  return Object.keys(value).some(
    (key) => FORBIDDEN.includes(key) || hasForbiddenKey((value as Record<string, unknown>)[key]),
  );
}

const validSession = fc.record({
  toolType: fc.constantFrom(...TOOL_TYPES),
  sessionId: fc.string({ unit: fc.constantFrom(..."abc-_0129XYZ"), minLength: 1, maxLength: 40 }),
  endedAt: fc.constant("2026-03-11T09:30:00.000Z"),
  inputTokens: fc.nat(),
  outputTokens: fc.nat(),
});

/** Values a hostile client may put in any field. */
const hostileValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 1e300, -0, 2 ** 53 + 1, "1e3", "", "\u0000", "<script>"),
  fc.string({ unit: "binary", maxLength: 50 }),
);
const fieldName = fc.oneof(
  fc.constantFrom("toolType", "sessionId", "endedAt", "startedAt", "inputTokens", "outputTokens", "toolUsage"),
  fc.constantFrom("codeMetrics", "cacheReadTokens", "modelName", ...FORBIDDEN),
  fc.string(),
);

describe("sessionInputSchema (property)", () => {
  it("never throws, and never lets a reserved key through, on hostile objects parsed from JSON", () => {
    fc.assert(
      fc.property(validSession, fc.array(fc.tuple(fieldName, hostileValue), { maxLength: 5 }), (session, edits) => {
        // Build through JSON text so `__proto__` becomes an own key, as it does for a real request body.
        const entries = [...Object.entries(session), ...edits].map(
          ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}`,
        );
        const parsed = JSON.parse(`{${entries.join(",")}}`);
        const result = sessionInputSchema.safeParse(parsed);
        if (result.success) expect(hasForbiddenKey(result.data)).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it("drops or refuses reserved names as tool usage keys and in nested metrics, without prototype pollution", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORBIDDEN), fc.nat(), (key, value) => {
        const text = `{"toolType":"codex","sessionId":"s","endedAt":"2026-03-11T09:30:00Z","inputTokens":1,"outputTokens":1,
          "toolUsage":{"${key}":${value}},"codeMetrics":{"${key}":{"polluted":true},"linesAdded":1}}`;
        const result = sessionInputSchema.safeParse(JSON.parse(text));
        // `constructor` and `prototype` are refused by name; zod's record never copies an own `__proto__`.
        if (result.success) expect(key === "__proto__" && Object.keys(result.data.toolUsage ?? {})).toEqual([]);
        const metricsOnly = JSON.parse(text.replace(`"toolUsage":{"${key}":${value}},`, ""));
        const second = sessionInputSchema.safeParse(metricsOnly);
        if (second.success) expect(hasForbiddenKey(second.data)).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
  });

  it("accepts every well-formed session and keeps counts as given", () => {
    fc.assert(
      fc.property(validSession, (session) => {
        const result = sessionInputSchema.safeParse(session);
        expect(result.success).toBe(true);
        if (result.success) expect(result.data.inputTokens).toBe(session.inputTokens);
      }),
    );
  });

  it("refuses non-integer, negative, NaN, infinite and over-limit counts", () => {
    const bad = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e11, 0.5, "12", null, true),
      fc.integer({ max: -1 }),
    );
    fc.assert(
      fc.property(validSession, bad, fc.constantFrom("inputTokens", "outputTokens", "cacheReadTokens"), (s, v, key) => {
        expect(sessionInputSchema.safeParse({ ...s, [key]: v }).success).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
