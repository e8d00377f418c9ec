import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

/** A 6-digit code from the CSPRNG, leading zeros kept. */
export function generateOtpCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/**
 * Keyed hash of (email, code): a leaked table does not give the codes back, and without the server
 * secret the 10^6 candidates cannot be tried offline.
 */
export function hashOtpCode(secret: string, email: string, code: string): string {
  return createHmac("sha256", secret).update(`otp:${email}:${code}`).digest("hex");
}

export function otpHashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
