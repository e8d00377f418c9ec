import type { BatchItemResult } from "@modu-arena/core";
import { transactionPrepared } from "@modu-arena/db";
import type { AppContext, RequestOrigin } from "../../context";
import { type PlannedItem, planIngest, type WritePlan } from "./plan-ingest";
import { type CreatePlan, recordNewSessions } from "./record-new-sessions";
import { sessionKey, type TokenTotals, totalsOf } from "./token-delta";
import { validateItems } from "./validate-items";
import { applyAggregates, insertNewSessions, selectExistingSessions, updateSessions } from "./write-ingest";

const MAX_ATTEMPTS = 4;
const RETRYABLE_PG_CODES = new Set(["40001", "40P01"]);
/** Raised to run the locking transaction again; carries a serialization-failure code so it is retried. */
const CREATED_MEANWHILE = () => Object.assign(new Error("a session was created concurrently"), { code: "40001" });

export interface IngestOutcome {
  results: BatchItemResult[];
  summary: { created: number; updated: number; duplicate: number; rejected: number };
}

/**
 * Records sessions with cumulative totals, exactly once: new ones are created, larger totals of a known
 * session add only the difference, equal totals change nothing, smaller ones are refused. A session and
 * every aggregate it changes are written atomically: new ones in one statement, known ones in one
 * transaction that locks them.
 */
export async function ingestSessions(
  ctx: AppContext,
  userId: string,
  items: unknown[],
  origin: RequestOrigin,
  source: "single" | "batch",
): Promise<IngestOutcome> {
  const now = ctx.clock.now();
  const validated = validateItems(items, now, ctx.config.retention.sessionsDays);
  const valid = validated.flatMap((item) => (item.ok ? [{ index: item.index, session: item.session }] : []));
  if (valid.length === 0) return summarize(validated, []);
  // Optimistic first: every key is taken as new and recorded in one statement; only the keys that
  // already existed go through the transaction that locks and compares them.
  const assumedNew = planIngest(valid, []);
  const creates = assumedNew.filter((plan): plan is CreatePlan => plan.kind === "create");
  const known = await withRetries(() =>
    recordNewSessions(ctx.db, userId, creates, countRepeats(assumedNew), origin, source, now),
  );
  if (known.length === 0) return summarize(validated, assumedNew);
  const knownKeys = new Set(known.map(({ session }) => sessionKey(session)));
  const rest = valid.filter(({ session }) => knownKeys.has(sessionKey(session)));
  const replanned = await withRetries(() => writeInTransaction(ctx, userId, rest, origin, source, now));
  return summarize(validated, [...assumedNew.filter((plan) => !knownKeys.has(sessionKey(plan.session))), ...replanned]);
}

/** Later copies of a key in the same batch, per created session (audited as duplicates). */
function countRepeats(plans: PlannedItem[]): Map<CreatePlan, number> {
  const repeats = new Map<CreatePlan, number>();
  for (const plan of plans) {
    if ((plan.kind === "duplicate" || plan.kind === "folded") && plan.target?.kind === "create") {
      repeats.set(plan.target, (repeats.get(plan.target) ?? 0) + 1);
    }
  }
  return repeats;
}

/** Serialization failures and deadlocks roll the whole statement or transaction back: run it again. */
async function withRetries<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } })?.code ??
    (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" && RETRYABLE_PG_CODES.has(code);
}

async function writeInTransaction(
  ctx: AppContext,
  userId: string,
  valid: Array<{ index: number; session: WritePlan["session"] }>,
  origin: RequestOrigin,
  source: "single" | "batch",
  now: Date,
): Promise<PlannedItem[]> {
  return transactionPrepared(ctx.db, async (query) => {
    // These keys existed a moment ago: lock and compare them. One deleted since is created again; one
    // created by a concurrent request in between (its insert conflicts) sends the whole thing round again.
    const keys = [...new Map(valid.map(({ session }) => [sessionKey(session), session])).values()].map((session) => ({
      tool: session.toolType,
      hash: session.sessionId,
    }));
    const plans = planIngest(valid, await selectExistingSessions(query, userId, keys));
    const creates = plans.filter((plan): plan is CreatePlan => plan.kind === "create");
    if ((await insertNewSessions(query, userId, creates, now)).length > 0) throw CREATED_MEANWHILE();
    const grows = plans.filter((plan): plan is Extract<WritePlan, { kind: "grow" }> => plan.kind === "grow");
    await updateSessions(query, grows, now);
    const writes = plans.filter((plan) => (plan.kind === "create" || plan.kind === "grow") && plan.id) as Array<
      WritePlan & { id: string }
    >;
    const duplicates = plans.filter((plan) => plan.kind === "duplicate" || plan.kind === "folded").length;
    if (writes.length > 0 || duplicates > 0) {
      await applyAggregates(query, userId, writes, duplicates, origin, source, now);
    }
    return plans;
  });
}

function summarize(validated: ReturnType<typeof validateItems>, plans: PlannedItem[]): IngestOutcome {
  const byIndex = new Map(plans.map((plan) => [plan.index, plan]));
  const summary = { created: 0, updated: 0, duplicate: 0, rejected: 0 };
  const results = validated.map((item): BatchItemResult => {
    if (!item.ok) {
      summary.rejected++;
      return {
        index: item.index,
        clientSessionId: item.clientSessionId,
        status: "rejected",
        error: { code: "invalid_request", message: "Invalid session", fields: item.fields },
      };
    }
    const plan = byIndex.get(item.index)!;
    const result = resultOf(plan);
    summary[result.status === "rejected" ? "rejected" : result.status]++;
    return result;
  });
  return { results, summary };
}

function resultOf(plan: PlannedItem): BatchItemResult {
  const base = { index: plan.index, clientSessionId: plan.session.sessionId };
  switch (plan.kind) {
    case "create":
      return { ...base, status: "created", sessionId: plan.id };
    case "grow":
      return { ...base, status: "updated", sessionId: plan.id };
    case "duplicate":
      return { ...base, status: "duplicate", sessionId: plan.id ?? plan.target?.id };
    case "folded":
      return { ...base, status: plan.target.kind === "create" ? "created" : "updated", sessionId: plan.target.id };
    case "shrunk":
      return {
        ...base,
        status: "rejected",
        error: {
          code: "session_shrunk",
          message: "Totals are smaller than the ones already recorded for this session",
          fields: describeShrunk(plan.previous, totalsOf(plan.session, plan.previous)),
        },
      };
  }
}

/** Each count smaller than recorded, named as the client sent it. */
function describeShrunk(previous: TokenTotals, next: TokenTotals): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const field of Object.keys(previous) as Array<keyof TokenTotals>) {
    if (next[field] < previous[field]) fields[field] = `recorded ${previous[field]}, sent ${next[field]}`;
  }
  return fields;
}
