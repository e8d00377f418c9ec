import { createHash, randomInt, timingSafeEqual } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(length: number): string {
  let out = "";
  for (let index = 0; index < length; index++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A new `modu_arena_<8>_<32>` key from the CSPRNG, with its stored forms. */
export function generateApiKey(): { apiKey: string; prefix: string; hash: string } {
  const prefix = `modu_arena_${randomString(8)}`;
  const apiKey = `${prefix}_${randomString(32)}`;
  return { apiKey, prefix, hash: hashApiKey(apiKey) };
}

export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex");
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
