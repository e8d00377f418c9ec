import type { ErrorCode } from "@modu-arena/core";

/** The one error type services throw; the HTTP layer maps `code` to a status and a JSON body. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  missing_api_key: 401,
  invalid_api_key: 401,
  missing_signature: 401,
  signature_invalid: 401,
  timestamp_expired: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  session_shrunk: 409,
  conflict: 409,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
};
