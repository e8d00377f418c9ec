import {
  type EvaluationRequest,
  type EvaluationResponse,
  errorBodySchema,
  evaluationResponseSchema,
  signRequest,
} from "@modu-arena/core";
import { ApiError, parseRetryAfter, toCliError } from "../api/client";
import { CliError, EXIT } from "../errors";

/** The server may ask an LLM twice (30 s each by default) before answering from its rubric. */
const EVALUATE_TIMEOUT_MS = 120_000;

export interface SendEvaluationOptions {
  serverUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  now: () => Date;
}

/** `POST /api/v1/evaluate`, signed like sessions: HMAC(apiKey, `${timestamp}:${body}`). */
export async function sendEvaluation(
  options: SendEvaluationOptions,
  payload: EvaluationRequest,
): Promise<EvaluationResponse> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(options.now().getTime() / 1000);
  let response: Response;
  try {
    response = await options.fetch(`${options.serverUrl}/api/v1/evaluate`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-API-Key": options.apiKey,
        "X-Timestamp": String(timestamp),
        "X-Signature": signRequest(options.apiKey, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(EVALUATE_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause as Error | undefined)?.message || error.message : "";
    throw toCliError(new ApiError(`cannot reach ${options.serverUrl} (${reason})`, 0, undefined, undefined));
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw describeRefusal(response, answer, options.now());
  const parsed = evaluationResponseSchema.safeParse(answer);
  if (!parsed.success) {
    throw new CliError("unexpected answer from /api/v1/evaluate", {
      exitCode: EXIT.network,
      hint: "the server may be older than this CLI",
    });
  }
  return parsed.data;
}

/** A refusal the user can act on: which fields, or when to try again. */
function describeRefusal(response: Response, answer: unknown, now: Date): CliError {
  const parsed = errorBodySchema.safeParse(answer);
  const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
  const code = parsed.success ? parsed.data.error.code : undefined;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now);
  if (response.status === 429) {
    const wait = retryAfter ? ` in ${formatWait(retryAfter)}` : " later";
    return new CliError(`the server refused the evaluation: ${message}`, {
      exitCode: EXIT.network,
      hint: `evaluations are limited per day; try again${wait}`,
    });
  }
  if (response.status === 400 || response.status === 413) {
    const fields = parsed.success && parsed.data.error.fields ? parsed.data.error.fields : {};
    const detail = Object.entries(fields)
      .map(([field, problem]) => `${field}: ${problem}`)
      .join("; ");
    return new CliError(`the server refused the evaluation: ${message}${detail ? ` (${detail})` : ""}`, {
      exitCode: EXIT.failure,
    });
  }
  if (response.status === 401) return toCliError(new ApiError(message, response.status, code, retryAfter));
  return new CliError(`the server answered ${response.status}: ${message}`, {
    exitCode: EXIT.network,
    hint: response.status >= 500 ? "try again later; nothing was recorded" : undefined,
  });
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3_600)} h`;
}
