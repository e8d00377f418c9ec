import { ensureCliBuilt } from "../../packages/cli/test/helpers/build-cli";
import { runCli } from "../../packages/cli/test/helpers/run-cli";
import type { ExpectedSession } from "./expected-usage";

export { ensureCliBuilt };

/** `modu-arena stats --by session --json` as a user runs it, on the agent's home. */
export interface StatsRow {
  key: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

/** Our built CLI, run the way users run it, with HOME at the agent's throwaway home. */
export async function runModuArena(args: string[], home: string): Promise<unknown> {
  const run = await runCli(args, { home, timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`modu-arena ${args.join(" ")} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

export async function getStatsBySession(home: string, tool: string): Promise<StatsRow[]> {
  const report = (await runModuArena(["stats", "--tool", tool, "--by", "session", "--json"], home)) as {
    rows: StatsRow[];
  };
  return report.rows;
}

export interface SyncPayload {
  toolType: string;
  sessionId: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens?: number;
  cacheReadTokens?: number;
  reasoningTokens?: number;
  modelName?: string;
  turnCount?: number;
  toolUsage?: Record<string, number>;
}

export async function getSyncPayloads(home: string, tool: string): Promise<SyncPayload[]> {
  const preview = (await runModuArena(["sync", "--tool", tool, "--dry-run", "--json"], home)) as {
    payloads: SyncPayload[];
  };
  return preview.payloads;
}

/** Rows without their session key, ordered by tokens: sessions are matched by the stub's distinct numbers. */
export function toComparableStats(rows: readonly Omit<StatsRow, "key">[]) {
  return rows
    .map(({ calls, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, totalTokens }) => ({
      calls,
      inputTokens,
      outputTokens,
      cacheCreationTokens,
      cacheReadTokens,
      totalTokens,
    }))
    .sort((a, b) => a.totalTokens - b.totalTokens);
}

/** A sync payload's fields that the stub's ledger decides, in the payload's shape. */
export function toComparablePayloads(payloads: readonly SyncPayload[]) {
  return payloads
    .map((payload) => ({
      inputTokens: payload.inputTokens,
      outputTokens: payload.outputTokens,
      cacheCreationTokens: payload.cacheCreationTokens ?? 0,
      cacheReadTokens: payload.cacheReadTokens ?? 0,
      reasoningTokens: payload.reasoningTokens ?? 0,
      modelName: payload.modelName,
      turnCount: payload.turnCount,
      toolUsage: payload.toolUsage ?? {},
    }))
    .sort((a, b) => a.inputTokens - b.inputTokens);
}

export function toExpectedPayloads(expected: readonly ExpectedSession[]) {
  return toComparablePayloads(
    expected.map((session) => ({
      toolType: "",
      sessionId: session.conversation,
      ...session,
    })),
  );
}
