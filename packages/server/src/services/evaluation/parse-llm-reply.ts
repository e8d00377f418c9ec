import { EvaluatorFailure, type LlmVerdict, llmVerdictSchema } from "./evaluator";

/**
 * The verdict in a model's text: the JSON object, optionally inside a ```json fence. Scores out of range,
 * missing feedback or extra prose around a second object are malformed: the caller retries, then falls back.
 */
export function parseLlmReply(text: string): LlmVerdict {
  const unfenced = text
    .trim()
    .replace(/^```(?:json)?\s*\n([\s\S]*?)\n```$/i, "$1")
    .trim();
  const start = unfenced.indexOf("{");
  const end = unfenced.lastIndexOf("}");
  if (start < 0 || end < start) throw new EvaluatorFailure("malformed_reply", "the reply holds no JSON object");
  let value: unknown;
  try {
    value = JSON.parse(unfenced.slice(start, end + 1));
  } catch {
    throw new EvaluatorFailure("malformed_reply", "the reply is not valid JSON");
  }
  const parsed = llmVerdictSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(reply)").join(", ");
    throw new EvaluatorFailure("malformed_reply", `the reply does not match the format (${fields})`);
  }
  return parsed.data;
}
