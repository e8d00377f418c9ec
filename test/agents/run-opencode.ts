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

/** The stub as an OpenAI-compatible provider (Chat Completions), its only model the default and small one. */
function makeConfig(url: string): string {
  return JSON.stringify({
    provider: {
      stub: {
        npm: "@ai-sdk/openai-compatible",
        options: { baseURL: `${url}/v1`, apiKey: "sk-test" },
        models: { "stub-model": {} },
      },
    },
    model: "stub/stub-model",
    small_model: "stub/stub-model",
    autoupdate: false,
    share: "disabled",
  });
}

/**
 * OpenCode's turns: a text turn, a glob call and its answer, then `run --continue`. On its first run it
 * installs its plugin package from the npm registry into the config folder.
 */
export async function runOpencode(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  writeHomeFile(home.home, ".config/opencode/opencode.json", makeConfig(stub.url));
  const env = { OPENCODE_DISABLE_MODELS_FETCH: "1", OPENCODE_DISABLE_AUTOUPDATE: "1" };
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.opencode, runOpencode);
