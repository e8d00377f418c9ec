import { EvaluatorFailure } from "./evaluator";

export interface LlmRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  fetch: typeof fetch;
}

/**
 * POSTs JSON and returns the parsed JSON answer. The timeout covers the whole exchange, body included;
 * every failure becomes an EvaluatorFailure so the caller can retry or fall back. Keys are never logged.
 */
export async function postLlmRequest(request: LlmRequest): Promise<unknown> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...request.headers },
      body: JSON.stringify(request.body),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new EvaluatorFailure("timeout", `no answer within ${request.timeoutMs} ms`);
    throw new EvaluatorFailure("network", `request failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
    throw new EvaluatorFailure("rate_limited", "the LLM API answered 429", 429, retryAfterMs);
  }
  if (!response.ok) {
    throw new EvaluatorFailure("http_error", `the LLM API answered ${response.status}`, response.status);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new EvaluatorFailure("malformed_reply", "the LLM API answer is not JSON");
  }
}
