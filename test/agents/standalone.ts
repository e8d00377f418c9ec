import {
  type AgentHome,
  type AgentRun,
  type AgentSpec,
  createAgentHome,
  ensureAgentInstalled,
  type InstalledAgent,
} from "./agents";
import { type StubModel, startStubModel } from "./stub-model/server";

export type AgentScript = (agent: InstalledAgent, stub: StubModel, home: AgentHome) => Promise<AgentRun[]>;

/**
 * `npx tsx test/agents/run-<agent>.ts`: one run against a fresh stub, for looking at what an agent writes.
 * The home is kept, and its path printed with the stub's ledger.
 */
export async function runStandalone(spec: AgentSpec, script: AgentScript): Promise<void> {
  const agent = ensureAgentInstalled(spec);
  if (agent.installMs > 0) console.log(`installed ${spec.pkg}@${spec.version} in ${Math.round(agent.installMs)} ms`);
  const stub = await startStubModel();
  const home = createAgentHome(spec.name);
  try {
    const runs = await script(agent, stub, home);
    for (const run of runs) console.log(`${run.args.join(" ")} -> ${run.code} in ${Math.round(run.ms)} ms`);
    console.log(
      JSON.stringify(
        { home: home.home, calls: stub.ledger.calls, unknown: stub.ledger.unknown, analytics: stub.analytics },
        null,
        2,
      ),
    );
  } finally {
    await stub.close();
  }
}
