import { errorBodySchema } from "@modu-arena/core";
import { z } from "zod";
import { ApiError } from "./client";

const REQUEST_TIMEOUT_MS = 20_000;

export const acknowledgedSchema = z.object({});
export const signupTokenSchema = z.object({ signupToken: z.string().min(1) });
export const registeredSchema = z.object({ apiKey: z.string().min(1), user: z.object({ username: z.string() }) });
export const loggedInSchema = z.object({ token: z.string().min(1), user: z.object({ username: z.string() }) });
export const issuedKeySchema = z.object({ apiKey: z.string().min(1) });

/** JSON calls to the account endpoints (`/api/auth/*`, `/api/me/*`), with a bearer session when given. */
export async function postAccountJson<T>(
  options: { serverUrl: string; fetch: typeof fetch; bearer?: string },
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await options.fetch(`${options.serverUrl}${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause as Error | undefined)?.message || error.message : "";
    throw new ApiError(`cannot reach ${options.serverUrl} (${reason})`, 0, undefined, undefined);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(payload);
    const fields =
      parsed.success && parsed.data.error.fields
        ? ` (${Object.entries(parsed.data.error.fields)
            .map(([field, problem]) => `${field}: ${problem}`)
            .join("; ")})`
        : "";
    const message = parsed.success ? `${parsed.data.error.message}${fields}` : `HTTP ${response.status}`;
    throw new ApiError(message, response.status, parsed.success ? parsed.data.error.code : undefined, undefined);
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ApiError(`unexpected answer from ${path}`, response.status, undefined, undefined);
  return parsed.data;
}
