import { signRequest } from "@modu-arena/core";
import type { Hono } from "hono";

/** The key with its last character changed: a well-formed key that belongs to nobody (never the key itself). */
export function forgedKey(apiKey: string): string {
  const last = apiKey.endsWith("Z") ? "Y" : "Z";
  return `${apiKey.slice(0, -1)}${last}`;
}

export function makeSession(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    toolType: "claude-code",
    sessionId: "sess_abc123",
    startedAt: "2026-03-11T09:00:00.000Z",
    endedAt: "2026-03-11T09:30:00.000Z",
    inputTokens: 15000,
    outputTokens: 8000,
    cacheCreationTokens: 2000,
    cacheReadTokens: 5000,
    modelName: "claude-sonnet-4-20250514",
    anonymousProjectId: "proj_abc123",
    ...overrides,
  };
}

export interface SignedRequestOptions {
  timestamp?: number;
  signature?: string;
  contentType?: string;
  rawBody?: string;
  ip?: string;
}

/** A request signed like a real client: HMAC(apiKey, `${timestamp}:${body}`). */
export function signedPost(
  app: Hono,
  path: string,
  apiKey: string,
  body: unknown,
  nowSeconds: number,
  options: SignedRequestOptions = {},
) {
  const raw = options.rawBody ?? JSON.stringify(body);
  const timestamp = options.timestamp ?? nowSeconds;
  return app.request(path, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/json",
      "x-api-key": apiKey,
      "x-timestamp": String(timestamp),
      "x-signature": options.signature ?? signRequest(apiKey, timestamp, raw),
    },
    body: raw,
  });
}
