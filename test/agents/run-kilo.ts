import { pathToFileURL } from "node:url";
import {
  AGENTS,
  type AgentHome,
  type AgentRun,
  expectSuccess,
  type InstalledAgent,
  runAgent,
  writeHomeFile,
} from "./agents";
import { runStandalone } from "./standalone";
import type { StubModel } from "./stub-model/server";

/** Kilo CLI (an OpenCode fork, same provider block): a text turn, a glob call and its answer, `run --continue`. */
export async function runKilo(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  writeHomeFile(
    home.home,
    ".config/kilo/kilo.json",
    JSON.stringify({
      provider: {
        stub: {
          npm: "@ai-sdk/openai-compatible",
          options: { baseURL: `${stub.url}/v1`, apiKey: "sk-test" },
          models: { "stub-model": {} },
        },
      },
      model: "stub/stub-model",
      small_model: "stub/stub-model",
      autoupdate: false,
      share: "disabled",
    }),
  );
  const env = { KILO_DISABLE_MODELS_FETCH: "1", KILO_DISABLE_AUTOUPDATE: "1" };
  const turns = [
    ["run", "say hi CONV_A"],
    ["run", "TOOLCALL list the txt files CONV_B"],
    ["run", "--continue", "say hi again CONV_B2"],
  ];
  const runs: AgentRun[] = [];
  for (const args of turns) {
    runs.push(expectSuccess(await runAgent(agent.binPath, args, { home, env, timeoutMs: 180_000 })));
  }
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.kilo, runKilo);
