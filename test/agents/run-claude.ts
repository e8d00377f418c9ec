import { pathToFileURL } from "node:url";
import { AGENTS, type AgentHome, type AgentRun, expectSuccess, type InstalledAgent, runAgent } from "./agents";
import { runStandalone } from "./standalone";
import type { StubModel } from "./stub-model/server";

/** Claude Code's turns: a text turn, a Glob call and its answer, a continued session, a sub-agent. */
export async function runClaude(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  const env = {
    ANTHROPIC_BASE_URL: stub.url,
    ANTHROPIC_API_KEY: "sk-test",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_ENABLE_TELEMETRY: "1",
    OTEL_METRICS_EXPORTER: "otlp",
    OTEL_LOGS_EXPORTER: "otlp",
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_EXPORTER_OTLP_ENDPOINT: stub.url,
    OTEL_METRIC_EXPORT_INTERVAL: "1000",
    OTEL_LOGS_EXPORT_INTERVAL: "1000",
  };
  const turns = [
    ["-p", "say hi CONV_A"],
    ["-p", "TOOLCALL list the txt files CONV_B", "--allowedTools", "Glob"],
    ["-c", "-p", "say hi again CONV_B2"],
    ["-p", "SUBAGENT ask a helper CONV_C", "--allowedTools", "Agent,Task"],
  ];
  const runs: AgentRun[] = [];
  for (const args of turns) runs.push(expectSuccess(await runAgent(agent.binPath, args, { home, env })));
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.claude, runClaude);
