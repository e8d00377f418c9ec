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

/** Codex's config: the stub as a Responses-API provider, OTel logs, metrics and traces to the sink. */
function makeConfig(url: string): string {
  return `model = "gpt-5.1-codex"
model_provider = "stub"
check_for_update_on_startup = false

[model_providers.stub]
name = "stub"
base_url = "${url}/v1"
wire_api = "responses"
env_key = "STUB_API_KEY"

[analytics]
enabled = false

[otel]
exporter = { otlp-http = { endpoint = "${url}/v1/logs", protocol = "json" } }
metrics_exporter = { otlp-http = { endpoint = "${url}/v1/metrics", protocol = "json" } }
trace_exporter = { otlp-http = { endpoint = "${url}/v1/traces", protocol = "json" } }
`;
}

/** Codex's turns: a text turn, a command and its answer, then `exec resume --last` on that session. */
export async function runCodex(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  writeHomeFile(home.home, ".codex/config.toml", makeConfig(stub.url));
  const env = { CODEX_HOME: `${home.home}/.codex`, STUB_API_KEY: "sk-test" };
  const turns = [
    ["exec", "--skip-git-repo-check", "say hi CONV_A"],
    ["exec", "--skip-git-repo-check", "TOOLCALL run a command CONV_B"],
    ["exec", "--skip-git-repo-check", "resume", "--last", "say hi again CONV_B2"],
  ];
  const runs: AgentRun[] = [];
  for (const args of turns) runs.push(expectSuccess(await runAgent(agent.binPath, args, { home, env })));
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.codex, runCodex);
