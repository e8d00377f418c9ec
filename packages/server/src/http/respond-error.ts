import type { ErrorBody, ErrorCode } from "@modu-arena/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ServiceError, STATUS_BY_CODE } from "../errors";
import type { Logger } from "../infra/logger";

export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
  retryAfter?: number,
) {
  const body: ErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  if (retryAfter) c.header("Retry-After", String(retryAfter));
  return c.json(body, STATUS_BY_CODE[code] as ContentfulStatusCode);
}

// Connection-level failures of the database: the request may be retried later (503), nothing was written.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (
      typeof message === "string" &&
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The single mapping from thrown errors to HTTP answers. */
export function handleError(error: unknown, c: Context, log: Logger) {
  if (error instanceof ServiceError) {
    return errorResponse(c, error.code, error.message, error.fields, error.retryAfterSeconds);
  }
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { path: c.req.path, error: String(error) });
    return errorResponse(c, "service_unavailable", "The service is temporarily unavailable, retry later", undefined, 5);
  }
  log.error("unhandled error", {
    path: c.req.path,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return errorResponse(c, "internal_error", "Internal server error");
}
