/** Browser-side calls to the JSON API (same origin, session cookie). Errors carry the API's code and fields. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export async function callApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.body === undefined ? undefined : { "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
  });
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)
      ?.error;
    throw new ApiError(error?.message ?? response.statusText, response.status, error?.code ?? "error", error?.fields);
  }
  return data as T;
}

/** A readable one-liner for an error: the message plus the fields it names. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = Object.entries(error.fields ?? {}).map(([field, problem]) => `${field}: ${problem}`);
    return fields.length ? `${error.message} (${fields.join("; ")})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

const KNOWN_CODES = ["rate_limited", "unauthorized", "conflict", "invalid_request", "forbidden", "not_found"] as const;
type Translate = (key: (typeof KNOWN_CODES)[number] | "network") => string;

/**
 * The error in the viewer's language when its code is a known one (the API's own message is English),
 * with the fields the API named; otherwise the API's message.
 */
export function explainError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const known = (KNOWN_CODES as readonly string[]).includes(error.code);
    if (!known) return describeError(error);
    // A wrong code is "invalid_request" with a field; the server's words say which rule was broken.
    const fields = Object.entries(error.fields ?? {}).map(([field, problem]) => `${field}: ${problem}`);
    const base = t(error.code as (typeof KNOWN_CODES)[number]);
    return fields.length ? `${base} (${fields.join("; ")})` : error.code === "invalid_request" ? error.message : base;
  }
  if (error instanceof TypeError) return t("network");
  return describeError(error);
}
