import type { EvaluationConfig } from "../../config/config";
import { createAnthropicEvaluator } from "./anthropic-evaluator";
import type { Evaluator } from "./evaluator";
import { createOpenAiEvaluator } from "./openai-evaluator";
import { createRubricEvaluator } from "./score-readme-rubric";

/**
 * The configured scorer: an explicit EVALUATION_PROVIDER, or on `auto` the first configured of the
 * OpenAI-compatible endpoint and Anthropic, else the offline rubric (no network, deterministic).
 */
export function selectEvaluator(config: EvaluationConfig, fetchFn: typeof fetch = fetch): Evaluator {
  const provider =
    config.provider !== "auto" ? config.provider : config.openai ? "openai" : config.anthropic ? "anthropic" : "rubric";
  switch (provider) {
    case "openai":
      return createOpenAiEvaluator({ ...config.openai!, timeoutMs: config.timeoutMs, fetch: fetchFn });
    case "anthropic":
      return createAnthropicEvaluator({ ...config.anthropic!, timeoutMs: config.timeoutMs, fetch: fetchFn });
    case "rubric":
      return createRubricEvaluator();
  }
}
