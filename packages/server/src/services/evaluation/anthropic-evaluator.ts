import { z } from "zod";
import { buildEvaluationPrompt } from "./build-evaluation-prompt";
import { type Evaluator, EvaluatorFailure } from "./evaluator";
import { parseLlmReply } from "./parse-llm-reply";
import { postLlmRequest } from "./post-llm-request";

export interface AnthropicEvaluatorOptions {
  /** https://api.anthropic.com in production; a loopback server in tests. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const messageSchema = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
});

/** The Anthropic Messages API: instructions go in `system`, the README in the user turn. */
export function createAnthropicEvaluator(options: AnthropicEvaluatorOptions): Evaluator {
  return {
    provider: "anthropic",
    model: options.model,
    async evaluate(subject) {
      const prompt = buildEvaluationPrompt(subject);
      const answer = await postLlmRequest({
        url: `${options.baseUrl}/v1/messages`,
        headers: { "x-api-key": options.apiKey, "anthropic-version": "2023-06-01" },
        body: {
          model: options.model,
          max_tokens: 600,
          temperature: 0,
          system: prompt.system,
          messages: [{ role: "user", content: prompt.user }],
        },
        timeoutMs: options.timeoutMs,
        fetch: options.fetch ?? fetch,
      });
      const parsed = messageSchema.safeParse(answer);
      const text = parsed.success
        ? parsed.data.content
            .filter((block) => block.type === "text")
            .map((block) => block.text ?? "")
            .join("")
        : "";
      if (!text) throw new EvaluatorFailure("malformed_reply", "no text block in the message");
      return parseLlmReply(text);
    },
  };
}
