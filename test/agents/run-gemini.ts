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
 * Gemini CLI's settings: with only the base-URL variable the auth type would be `gateway`, which `-p`
 * rejects, so the API-key type is chosen here; telemetry goes to the sink over OTLP/HTTP.
 */
function makeSettings(url: string): string {
  return JSON.stringify({
    security: { auth: { selectedType: "gemini-api-key" } },
    telemetry: { enabled: true, target: "local", otlpEndpoint: url, otlpProtocol: "http", logPrompts: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    privacy: { usageStatisticsEnabled: false },
  });
}

/** Gemini CLI's turns: a text turn, a glob call and its answer, then `--resume latest`. */
export async function runGemini(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  writeHomeFile(home.home, ".gemini/settings.json", makeSettings(stub.url));
  const env = { GEMINI_API_KEY: "sk-test", GOOGLE_GEMINI_BASE_URL: stub.url, GEMINI_CLI_TRUST_WORKSPACE: "true" };
  const turns = [
    ["-p", "say hi CONV_A"],
    ["-p", "TOOLCALL list the txt files CONV_B"],
    ["--resume", "latest", "-p", "say hi again CONV_B2"],
  ];
  const runs: AgentRun[] = [];
  for (const args of turns) runs.push(expectSuccess(await runAgent(agent.binPath, args, { home, env })));
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.gemini, runGemini);
