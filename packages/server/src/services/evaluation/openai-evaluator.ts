import { z } from "zod";
import { buildEvaluationPrompt } from "./build-evaluation-prompt";
import { type Evaluator, EvaluatorFailure } from "./evaluator";
import { parseLlmReply } from "./parse-llm-reply";
import { postLlmRequest } from "./post-llm-request";

export interface OpenAiEvaluatorOptions {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const chatCompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** Any OpenAI-compatible chat completions endpoint (OpenAI, vLLM, Ollama, LiteLLM, ...). */
export function createOpenAiEvaluator(options: OpenAiEvaluatorOptions): Evaluator {
  return {
    provider: "openai",
    model: options.model,
    async evaluate(subject) {
      const prompt = buildEvaluationPrompt(subject);
      const answer = await postLlmRequest({
        url: `${options.baseUrl}/chat/completions`,
        headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
        body: {
          model: options.model,
          temperature: 0,
          max_tokens: 600,
          messages: [
            { role: "system", content: prompt.system },
            { role: "user", content: prompt.user },
          ],
        },
        timeoutMs: options.timeoutMs,
        fetch: options.fetch ?? fetch,
      });
      const parsed = chatCompletionSchema.safeParse(answer);
      const content = parsed.success ? parsed.data.choices[0]!.message.content : null;
      if (!content) throw new EvaluatorFailure("malformed_reply", "no message content in the completion");
      return parseLlmReply(content);
    },
  };
}
