import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type AgentHome,
  type AgentRun,
  type AgentSpec,
  createAgentHome,
  ensureAgentInstalled,
  type InstalledAgent,
} from "./agents";
import { getExpectedSessions } from "./expected-usage";
import {
  ensureCliBuilt,
  getStatsBySession,
  getSyncPayloads,
  toComparablePayloads,
  toComparableStats,
  toExpectedPayloads,
} from "./modu-arena-cli";
import { writeOtelFixture } from "./otel-fixture";
import type { OtlpExport } from "./stub-model/otlp-sink";
import { type StubModel, startStubModel } from "./stub-model/server";

export interface AgentRunContext {
  stub: StubModel;
  home: AgentHome;
  runs: AgentRun[];
}

export interface AgentSuiteOptions {
  spec: AgentSpec;
  /** Our tool name for it (`--tool`). */
  tool: string;
  run(agent: InstalledAgent, stub: StubModel, home: AgentHome): Promise<AgentRun[]>;
  /** Calls the agent makes per conversation tag, side calls included, as REAL-AGENTS.md observed them. */
  expectedCalls: Record<string, number>;
  /**
   * Payload fields our collector is known to get wrong for this agent version, with what differs: left out
   * of the payload comparison and checked on their own in an `it.fails` named after the reason, which
   * starts failing (and must be unmarked) once the collector is fixed.
   */
  knownWrong?: Partial<Record<PayloadField, string>>;
  /** Payload fields the agent's own test file checks, because what is right depends on how the run went. */
  checkedApart?: PayloadField[];
}

export type PayloadField = keyof ReturnType<typeof toComparablePayloads>[number];

/**
 * Runs the agent once against a fresh stub (its install cached outside the repository), then registers
 * the checks every agent shares: the stub served what REAL-AGENTS.md says, and `stats`/`sync --dry-run`
 * report exactly that usage. An agent that cannot be installed offline skips them with npm's reason;
 * one that installs but fails a turn fails the suite.
 */
export function defineAgentSuite(options: AgentSuiteOptions): {
  use: (skip: (note: string) => void) => AgentRunContext;
} {
  let installError: string | undefined;
  let context: AgentRunContext | undefined;
  let home: AgentHome | undefined;
  let stub: StubModel | undefined;

  beforeAll(async () => {
    ensureCliBuilt();
    let agent: InstalledAgent;
    try {
      agent = ensureAgentInstalled(options.spec);
      if (agent.installMs > 0) {
        console.log(`installed ${options.spec.pkg}@${options.spec.version} in ${Math.round(agent.installMs / 1000)} s`);
      }
    } catch (error) {
      installError = String(error).split("\n").slice(0, 6).join(" ");
      return;
    }
    stub = await startStubModel();
    home = createAgentHome(options.spec.name);
    const started = performance.now();
    const runs = await options.run(agent, stub, home);
    console.log(
      `${options.spec.name} ran ${runs.length} turns in ${Math.round((performance.now() - started) / 1000)} s`,
    );
    context = { stub, home, runs };
  }, 600_000);

  afterAll(async () => {
    await stub?.close();
    // MODU_ARENA_AGENTS_KEEP_HOME=1 keeps what the agent wrote, to look at after a failure.
    if (process.env.MODU_ARENA_AGENTS_KEEP_HOME === "1") console.log(`${options.spec.name} home kept: ${home?.home}`);
    else home?.remove();
  });

  const use = (skip: (note: string) => void): AgentRunContext => {
    if (installError) skip(`${options.spec.pkg}@${options.spec.version} cannot be installed here: ${installError}`);
    if (!context) throw new Error("the agent's run did not complete");
    return context;
  };

  it("the stub served the calls the agent is known to make, and nothing it did not know", (test) => {
    const { stub } = use((note) => test.skip(note));
    const perConversation: Record<string, number> = {};
    for (const call of stub.ledger.calls) {
      const key = call.conversation ?? "untagged";
      perConversation[key] = (perConversation[key] ?? 0) + 1;
    }
    expect(perConversation).toEqual(options.expectedCalls);
    expect(stub.ledger.unknown).toEqual([]);
  });

  it("stats --by session --json reports per session exactly the usage the stub served", async (test) => {
    const { stub, home } = use((note) => test.skip(note));
    const expected = getExpectedSessions(stub.ledger.calls);
    const rows = await getStatsBySession(home.home, options.tool);
    expect(toComparableStats(rows)).toEqual(toComparableStats(expected));
  });

  const omitKnownWrong = (rows: ReturnType<typeof toComparablePayloads>) =>
    rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).filter(
          ([field]) => !(field in knownWrong) && !options.checkedApart?.includes(field as PayloadField),
        ),
      ),
    );
  const knownWrong = options.knownWrong ?? {};

  it("sync --dry-run --json would send each session's served tokens, model, prompts and tool calls", async (test) => {
    const { stub, home } = use((note) => test.skip(note));
    const payloads = await getSyncPayloads(home.home, options.tool);
    expect(payloads.every((payload) => payload.toolType === options.tool)).toBe(true);
    const expected = toExpectedPayloads(getExpectedSessions(stub.ledger.calls));
    expect(omitKnownWrong(toComparablePayloads(payloads))).toEqual(omitKnownWrong(expected));
  });

  for (const [field, reason] of Object.entries(knownWrong)) {
    it.fails(`KNOWN WRONG ${field}: ${reason}`, async (test) => {
      // A skip stays a skip here: an uninstallable agent must not pass as an expected failure.
      const { stub, home } = use((note) => test.skip(note));
      const payloads = toComparablePayloads(await getSyncPayloads(home.home, options.tool));
      const expected = toExpectedPayloads(getExpectedSessions(stub.ledger.calls));
      const pick = (rows: typeof payloads) => rows.map((row) => row[field as PayloadField]);
      expect(pick(payloads)).toEqual(pick(expected));
    });
  }

  return { use };
}

/**
 * The OTel export the sink received, saved as a fixture for a collector that may ingest it
 * (`MODU_ARENA_AGENT_FIXTURES=write npm run test:agents`).
 */
export function saveOtelFixture(name: string, exports: readonly OtlpExport[]): void {
  if (process.env.MODU_ARENA_AGENT_FIXTURES === "write") writeOtelFixture(name, exports);
}
