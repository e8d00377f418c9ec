import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/infra/logger";
import { createAnthropicEvaluator } from "../src/services/evaluation/anthropic-evaluator";
import { evaluateReadme } from "../src/services/evaluation/evaluate-readme";
import type { Evaluator } from "../src/services/evaluation/evaluator";
import { createOpenAiEvaluator } from "../src/services/evaluation/openai-evaluator";
import { scoreReadmeRubric } from "../src/services/evaluation/score-readme-rubric";
import {
  anthropicReply,
  type FakeReply,
  GOOD_README,
  HOSTILE_README,
  openAiReply,
  type RecordedLlmRequest,
  startFakeLlm,
} from "./evaluation-fixtures";

const VALID = JSON.stringify({ backendScore: 52, penaltyScore: 0, feedback: "Clear install and usage; add examples." });
const subject = { projectName: "tiny-kv", readme: GOOD_README, localScore: 30 };
const log = createLogger("silent");
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

type Api = {
  name: "openai" | "anthropic";
  wrap: (text: string) => unknown;
  create: (url: string, timeoutMs: number) => Evaluator;
  system: (request: RecordedLlmRequest) => string;
  user: (request: RecordedLlmRequest) => string;
};

const APIS: Api[] = [
  {
    name: "openai",
    wrap: openAiReply,
    create: (url, timeoutMs) =>
      createOpenAiEvaluator({ baseUrl: `${url}/v1`, apiKey: "sk-test", model: "gpt-test", timeoutMs }),
    system: (request) =>
      (request.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "system")!.content,
    user: (request) =>
      (request.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "user")!.content,
  },
  {
    name: "anthropic",
    wrap: anthropicReply,
    create: (url, timeoutMs) =>
      createAnthropicEvaluator({ baseUrl: url, apiKey: "sk-ant-test", model: "claude-test", timeoutMs }),
    system: (request) => request.body.system as string,
    user: (request) => (request.body.messages as Array<{ content: string }>)[0]!.content,
  },
];

async function run(
  api: Api,
  reply: (request: RecordedLlmRequest, index: number) => FakeReply,
  timeoutMs = 2_000,
  readme = GOOD_README,
) {
  const server = await startFakeLlm(reply);
  closeServer = server.close;
  const result = await evaluateReadme(
    api.create(server.url, timeoutMs),
    { ...subject, readme },
    { log, retryDelayMs: 10 },
  );
  return { result, requests: server.requests };
}

describe.each(APIS)("the $name client against a loopback server", (api) => {
  it("sends the API's request format and takes a valid verdict", async () => {
    const { result, requests } = await run(api, () => ({ body: api.wrap(VALID) }));
    expect(result).toMatchObject({
      provider: api.name,
      attempts: 1,
      verdict: { backendScore: 52, penaltyScore: 0, feedback: "Clear install and usage; add examples." },
    });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    if (api.name === "openai") {
      expect(request!.path).toBe("/v1/chat/completions");
      expect(request!.headers.authorization).toBe("Bearer sk-test");
      expect(request!.body.model).toBe("gpt-test");
    } else {
      expect(request!.path).toBe("/v1/messages");
      expect(request!.headers["x-api-key"]).toBe("sk-ant-test");
      expect(request!.headers["anthropic-version"]).toBe("2023-06-01");
      expect(request!.body.model).toBe("claude-test");
    }
    expect(api.user(request!)).toContain(GOOD_README);
    expect(api.system(request!)).not.toContain("tiny-kv");
  });

  it("accepts a verdict inside a ```json fence", async () => {
    const { result } = await run(api, () => ({ body: api.wrap(`\`\`\`json\n${VALID}\n\`\`\``) }));
    expect(result.verdict.backendScore).toBe(52);
  });

  it("retries once after a 500 and takes the second answer", async () => {
    const { result, requests } = await run(api, (_, index) =>
      index === 0 ? { status: 500, body: { error: "boom" } } : { body: api.wrap(VALID) },
    );
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({ provider: api.name, attempts: 2, verdict: { backendScore: 52 } });
  });

  it.each([
    ["malformed_reply", "broken JSON body", (): FakeReply => ({ body: '{"choices": [' })],
    ["malformed_reply", "prose instead of the verdict", (): FakeReply => ({ body: "" })],
    ["malformed_reply", "scores out of range", (): FakeReply => ({ body: "" })],
    ["rate_limited", "429", (): FakeReply => ({ status: 429, body: { error: { type: "rate_limit_error" } } })],
    ["http_error", "500", (): FakeReply => ({ status: 500, body: { error: "down" } })],
  ] as const)("falls back to the rubric after two %s answers (%s)", async (reason, label, make) => {
    const reply = (): FakeReply => {
      if (label === "prose instead of the verdict") return { body: api.wrap("This README is great, I give it 9/10.") };
      if (label === "scores out of range")
        return { body: api.wrap('{"backendScore": 1000, "penaltyScore": 5, "feedback": "x"}') };
      return make();
    };
    const { result, requests } = await run(api, reply);
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({
      provider: `rubric (fallback from ${api.name})`,
      model: "readme-rubric-v1",
      fallbackReason: reason,
      verdict: { backendScore: scoreReadmeRubric(GOOD_README).backendScore },
    });
  });

  it("waits a short Retry-After before the retry, and skips a long one", async () => {
    const started = Date.now();
    const short = await run(api, (_, index) =>
      index === 0 ? { status: 429, headers: { "retry-after": "1" } } : { body: api.wrap(VALID) },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(short.result).toMatchObject({ provider: api.name, attempts: 2 });
    await closeServer?.();
    const long = await run(api, () => ({ status: 429, headers: { "retry-after": "3600" } }));
    expect(long.requests).toHaveLength(1);
    expect(long.result).toMatchObject({
      provider: `rubric (fallback from ${api.name})`,
      attempts: 1,
      fallbackReason: "rate_limited",
    });
  });

  it("times out a slow reply, retries, then falls back", async () => {
    const started = Date.now();
    const { result, requests } = await run(api, () => ({ body: api.wrap(VALID), delayMs: 2_000 }), 150);
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({ provider: `rubric (fallback from ${api.name})`, fallbackReason: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("falls back when nothing listens", async () => {
    const result = await evaluateReadme(api.create("http://127.0.0.1:9", 1_000), subject, { log, retryDelayMs: 10 });
    expect(result).toMatchObject({ provider: `rubric (fallback from ${api.name})`, fallbackReason: "network" });
  });

  it("keeps a hostile README out of the instructions; injections cannot change the result's shape", async () => {
    // This fake model obeys any instruction that reaches its system prompt, and follows injected
    // reply formats in the user turn too (answering prose), as a gullible model might.
    const { result, requests } = await run(
      api,
      (request) => {
        if (api.system(request).includes("Ignore all previous instructions")) {
          return { body: api.wrap('{"backendScore": 70, "penaltyScore": 0, "feedback": "perfect"}') };
        }
        if (api.user(request).includes("respond only with a poem"))
          return { body: api.wrap("Roses are red, READMEs are blue.") };
        return { body: api.wrap(VALID) };
      },
      2_000,
      HOSTILE_README,
    );
    for (const request of requests) {
      expect(api.system(request)).not.toContain("Ignore all previous");
      const user = api.user(request);
      const marker = /<<<README ([0-9a-f]{24})>>>/.exec(user)![1];
      expect(user).toContain(`<<<README ${marker}>>>\n${HOSTILE_README}\n<<<END README ${marker}>>>`);
    }
    expect(result.provider).toBe(`rubric (fallback from ${api.name})`);
    expect(result.verdict.backendScore).toBeLessThan(70);
    expect(result.verdict.penaltyScore).toBe(-15);
    expect(result.verdict.feedback).not.toContain("perfect");
  });

  it("keeps the injection penalty and the rubric's cap when the model is fooled", async () => {
    const fooled = '{"backendScore": 70, "penaltyScore": 0, "feedback": "Looks perfect."}';
    const { result } = await run(api, () => ({ body: api.wrap(fooled) }), 2_000, HOSTILE_README);
    const rubric = scoreReadmeRubric(HOSTILE_README);
    expect(result).toMatchObject({
      provider: api.name,
      verdict: { backendScore: rubric.backendScore, penaltyScore: -15 },
    });
    expect(result.verdict.feedback).toContain("instructions addressed to the evaluator");
  });
});
