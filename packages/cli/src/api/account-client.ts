import { errorBodySchema } from "@modu-arena/core";
import { z } from "zod";
import { ApiError, exchangeJson } from "./client";

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
  return exchangeJson(
    options,
    path,
    { method: "POST", headers, body: JSON.stringify(body) },
    schema,
    (response, payload) => {
      const parsed = errorBodySchema.safeParse(payload);
      const fields =
        parsed.success && parsed.data.error.fields
          ? ` (${Object.entries(parsed.data.error.fields)
              .map(([field, problem]) => `${field}: ${problem}`)
              .join("; ")})`
          : "";
      const message = parsed.success ? `${parsed.data.error.message}${fields}` : `HTTP ${response.status}`;
      return new ApiError(message, response.status, parsed.success ? parsed.data.error.code : undefined, undefined);
    },
  );
}
