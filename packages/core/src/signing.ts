import { createHmac, timingSafeEqual } from "node:crypto";

/** Requests are valid within ±5 minutes of the server's clock (seconds). */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** HMAC-SHA256(apiKey, `${timestamp}:${body}`) as lowercase hex, as in the API v1 contract. */
export function signRequest(apiKey: string, timestamp: number | string, body: string): string {
  return createHmac("sha256", apiKey).update(`${timestamp}:${body}`).digest("hex");
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing_timestamp" | "missing_signature" | "timestamp_expired" | "signature_invalid" };

export interface VerifySignatureInput {
  apiKey: string;
  timestampHeader: string | undefined | null;
  signatureHeader: string | undefined | null;
  body: string;
  nowSeconds: number;
  windowSeconds?: number;
}

export function verifySignature(input: VerifySignatureInput): SignatureCheck {
  const timestampText = input.timestampHeader?.trim();
  if (!timestampText) return { ok: false, reason: "missing_timestamp" };
  const signature = input.signatureHeader?.trim().toLowerCase();
  if (!signature) return { ok: false, reason: "missing_signature" };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: "timestamp_expired" };
  const timestamp = Number(timestampText);
  const window = input.windowSeconds ?? SIGNATURE_WINDOW_SECONDS;
  if (Math.abs(input.nowSeconds - timestamp) > window) return { ok: false, reason: "timestamp_expired" };
  const expected = Buffer.from(signRequest(input.apiKey, timestampText, input.body), "hex");
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(expected.length);
  // Compare even when the given value is malformed, so that timing says nothing about the format.
  const equal = timingSafeEqual(expected, given);
  return equal && given.length === expected.length && /^[0-9a-f]{64}$/.test(signature)
    ? { ok: true, timestamp }
    : { ok: false, reason: "signature_invalid" };
}
