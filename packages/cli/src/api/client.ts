import type { BatchResponse, RankResponse, VerifyResponse } from "@modu-arena/core";
import { signRequest } from "@modu-arena/core/signing";
import type { z } from "zod";
import { CliError, EXIT } from "../errors";
import { type Contracts, loadContracts } from "./contracts";

const REQUEST_TIMEOUT_MS = 20_000;

export interface ApiClientOptions {
  serverUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  now: () => Date;
}

/** A failed HTTP exchange; `status` 0 means the server was not reached at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get isRetryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/**
 * One JSON exchange with the server: unreachable → ApiError with status 0; a non-2xx answer → the error
 * `failure` makes of it; a 2xx answer that does not match `schema` → ApiError.
 */
export async function exchangeJson<T>(
  server: { serverUrl: string; fetch: typeof fetch },
  path: string,
  init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string },
  schema: z.ZodType<T>,
  failure: (response: Response, payload: unknown) => ApiError,
): Promise<T> {
  let response: Response;
  try {
    response = await server.fetch(`${server.serverUrl}${path}`, {
      ...init,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause as Error | undefined)?.message || error.message : "";
    throw new ApiError(`cannot reach ${server.serverUrl} (${reason})`, 0, undefined, undefined);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw failure(response, payload);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ApiError(`unexpected answer from ${path}`, response.status, undefined, undefined);
  return parsed.data;
}

export interface ApiClient {
  verify(): Promise<VerifyResponse>;
  getRank(): Promise<RankResponse>;
  postBatch(sessions: unknown[]): Promise<BatchResponse>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  async function request<T>(
    method: "GET" | "POST",
    path: string,
    pickSchema: (contracts: Contracts) => z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    const contracts = await loadContracts();
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { "X-API-Key": options.apiKey, Accept: "application/json" };
    if (text !== undefined) {
      const timestamp = Math.floor(options.now().getTime() / 1000);
      headers["Content-Type"] = "application/json";
      headers["X-Timestamp"] = String(timestamp);
      headers["X-Signature"] = signRequest(options.apiKey, timestamp, text);
    }
    return exchangeJson(options, path, { method, headers, body: text }, pickSchema(contracts), (response, payload) => {
      const parsed = contracts.errorBodySchema.safeParse(payload);
      const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), options.now());
      return new ApiError(message, response.status, parsed.success ? parsed.data.error.code : undefined, retryAfter);
    });
  }

  return {
    verify: () => request("GET", "/api/v1/verify", (contracts) => contracts.verifyResponseSchema),
    getRank: () => request("GET", "/api/v1/rank", (contracts) => contracts.rankResponseSchema),
    postBatch: (sessions) =>
      request("POST", "/api/v1/sessions/batch", (contracts) => contracts.batchResponseSchema, { sessions }),
  };
}

/** Turns an API failure into the CLI's error with a hint the user can act on. */
export function toCliError(error: unknown): CliError {
  if (!(error instanceof ApiError)) return new CliError(String(error));
  if (error.status === 401 || error.code === "invalid_api_key" || error.code === "missing_api_key") {
    return new CliError(`the server refused the API key: ${error.message}`, {
      exitCode: EXIT.notConfigured,
      hint: "copy a fresh key from your dashboard and run `modu-arena install --api-key <key>`",
    });
  }
  if (error.status === 0) {
    return new CliError(error.message, {
      exitCode: EXIT.network,
      hint: "check your connection or the server URL (MODU_ARENA_API_URL)",
    });
  }
  return new CliError(`the server answered ${error.status}: ${error.message}`, {
    exitCode: EXIT.network,
    hint: error.isRetryable ? "try again later; queued records are kept" : undefined,
  });
}
