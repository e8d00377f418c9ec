import { z } from "zod";

/** Every error response of the API: `{ error: { code, message, fields? } }`. */
export const ERROR_CODES = [
  "invalid_request",
  "invalid_json",
  "unsupported_media_type",
  "payload_too_large",
  "missing_api_key",
  "invalid_api_key",
  "missing_signature",
  "signature_invalid",
  "timestamp_expired",
  "session_shrunk",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "service_unavailable",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** Field path (dot-joined) → what is wrong with it. */
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Turns a zod error into `{ "a.b": "message" }`, the first message per field. */
export function describeZodError(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)";
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}
