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

/** Qwen Code's turns over Chat Completions: a text turn, a glob call and its answer, then `--continue`. */
export async function runQwen(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  writeHomeFile(
    home.home,
    ".qwen/settings.json",
    JSON.stringify({
      security: { auth: { selectedType: "openai" } },
      telemetry: { enabled: true, target: "local", otlpEndpoint: stub.url, otlpProtocol: "http", logPrompts: false },
    }),
  );
  const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${stub.url}/v1`, OPENAI_MODEL: "stub-model" };
  const turns = [
    ["-p", "say hi CONV_A"],
    ["-p", "TOOLCALL list the txt files CONV_B"],
    ["--continue", "-p", "say hi again CONV_B2"],
  ];
  const runs: AgentRun[] = [];
  for (const args of turns) runs.push(expectSuccess(await runAgent(agent.binPath, args, { home, env })));
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.qwen, runQwen);
