import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { AGENTS, type AgentHome, type AgentRun, expectSuccess, type InstalledAgent, runAgent } from "./agents";
import { runStandalone } from "./standalone";
import type { StubModel } from "./stub-model/server";

/** The session whose events mention a prompt tag (Copilot names its session folders by id only). */
function findSessionId(home: AgentHome, tag: string): string {
  const root = join(home.home, ".copilot", "session-state");
  const found = readdirSync(root).find((id) => {
    try {
      return readFileSync(join(root, id, "events.jsonl"), "utf8").includes(tag);
    } catch {
      return false;
    }
  });
  if (!found) throw new Error(`no Copilot session mentions ${tag}`);
  return found;
}

/** Copilot CLI on a BYOK provider in offline mode: a text turn, a glob call and its answer, `--resume`. */
export async function runCopilot(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]> {
  const env = {
    COPILOT_OFFLINE: "true",
    COPILOT_PROVIDER_BASE_URL: `${stub.url}/v1`,
    COPILOT_PROVIDER_API_KEY: "sk-test",
    COPILOT_MODEL: "gpt-4.1",
    COPILOT_AUTO_UPDATE: "false",
  };
  const run = async (args: string[]) =>
    expectSuccess(await runAgent(agent.binPath, args, { home, env, timeoutMs: 180_000 }));
  const runs = [
    await run(["--allow-all-tools", "-p", "say hi CONV_A"]),
    await run(["--allow-all-tools", "-p", "TOOLCALL list the txt files CONV_B"]),
  ];
  runs.push(
    await run(["--allow-all-tools", `--resume=${findSessionId(home, "CONV_B")}`, "-p", "say hi again CONV_B2"]),
  );
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runStandalone(AGENTS.copilot, runCopilot);
