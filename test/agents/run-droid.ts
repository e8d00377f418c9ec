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

/**
 * Factory droid with a BYOK model on the stub (no Factory login): a text turn, then a glob call and its
 * answer. Resuming (`exec -s`) first fetches the session from Factory's servers, so it is not run offline.
 */
export async function runDroid(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  writeHomeFile(
    home.home,
    ".factory/settings.json",
    JSON.stringify({
      customModels: [
        {
          model: "stub-model",
          displayName: "Stub",
          baseUrl: `${stub.url}/v1`,
          apiKey: "sk-test",
          provider: "generic-chat-completion-api",
          maxOutputTokens: 4096,
        },
      ],
    }),
  );
  const turns = [
    ["exec", "-m", "custom:Stub-0", "say hi CONV_A"],
    ["exec", "-m", "custom:Stub-0", "TOOLCALL list the txt files CONV_B"],
  ];
  const runs: AgentRun[] = [];
  for (const args of turns) runs.push(expectSuccess(await runAgent(agent.binPath, args, { home })));
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.droid, runDroid);
