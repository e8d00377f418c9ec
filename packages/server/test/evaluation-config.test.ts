import { describe, expect, it } from "vitest";
import { buildConfig } from "../src/config/config";
import { parseEnv } from "../src/config/env";
import { selectEvaluator } from "../src/services/evaluation/select-evaluator";

function configFrom(env: Record<string, string>) {
  return buildConfig(
    parseEnv({
      JWT_SECRET: "j".repeat(40),
      CRON_SECRET: "c".repeat(40),
      DATA_DIR: "/tmp/modu-arena-evaluation-config-unused",
      ...env,
    }),
  );
}

const OPENAI = { LLM_BASE_URL: "http://127.0.0.1:1/v1/", LLM_MODEL: "m" };
const ANTHROPIC = { ANTHROPIC_API_KEY: "sk-ant-x" };

describe("evaluation configuration", () => {
  it("defaults to the offline rubric and 10 evaluations a day", () => {
    const config = configFrom({});
    expect(config.rateLimits.evaluationsPerDay).toBe(10);
    expect(config.evaluation).toMatchObject({ provider: "auto", timeoutMs: 30_000 });
    expect(selectEvaluator(config.evaluation).provider).toBe("rubric");
  });

  it("reads EVALUATIONS_PER_DAY and LLM_TIMEOUT_MS", () => {
    const config = configFrom({ EVALUATIONS_PER_DAY: "3", LLM_TIMEOUT_MS: "5000" });
    expect(config.rateLimits.evaluationsPerDay).toBe(3);
    expect(config.evaluation.timeoutMs).toBe(5000);
  });

  it("picks the OpenAI-compatible endpoint first, then Anthropic, unless one is named", () => {
    const openai = configFrom(OPENAI).evaluation;
    expect(openai.openai).toEqual({ baseUrl: "http://127.0.0.1:1/v1", apiKey: undefined, model: "m" });
    expect(selectEvaluator(openai)).toMatchObject({ provider: "openai", model: "m" });
    const anthropic = configFrom(ANTHROPIC).evaluation;
    expect(anthropic.anthropic).toEqual({
      baseUrl: "https://api.anthropic.com",
      apiKey: "sk-ant-x",
      model: "claude-sonnet-4-20250514",
    });
    expect(selectEvaluator(anthropic).provider).toBe("anthropic");
    expect(selectEvaluator(configFrom({ ...OPENAI, ...ANTHROPIC }).evaluation).provider).toBe("openai");
    const named = configFrom({
      ...OPENAI,
      ...ANTHROPIC,
      EVALUATION_PROVIDER: "anthropic",
      ANTHROPIC_MODEL: "claude-x",
    });
    expect(selectEvaluator(named.evaluation)).toMatchObject({ provider: "anthropic", model: "claude-x" });
    expect(selectEvaluator(configFrom({ ...OPENAI, EVALUATION_PROVIDER: "rubric" }).evaluation).provider).toBe(
      "rubric",
    );
  });

  it("refuses a half-configured LLM instead of silently using the rubric", () => {
    expect(() => configFrom({ LLM_BASE_URL: "http://x/v1" })).toThrow(/LLM_BASE_URL and LLM_MODEL/);
    expect(() => configFrom({ LLM_API_KEY: "sk" })).toThrow(/LLM_BASE_URL and LLM_MODEL/);
    expect(() => configFrom({ EVALUATION_PROVIDER: "anthropic" })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => configFrom({ EVALUATIONS_PER_DAY: "0" })).toThrow(/EVALUATIONS_PER_DAY/);
  });
});
