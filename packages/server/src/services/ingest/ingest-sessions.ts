import type { BatchItemResult } from "@modu-arena/core";
import type { AppContext, RequestOrigin } from "../../context";
import { type PlannedItem, planIngest, type WritePlan } from "./plan-ingest";
import { validateItems } from "./validate-items";
import {
  type AuditRow,
  applyAggregates,
  IngestRaceError,
  insertSessions,
  lockUserStats,
  selectExistingSessions,
  updateSessions,
} from "./write-ingest";

/** A session over this many times the user's average is flagged (audited, still accepted). */
export const ANOMALY_FACTOR = 10;
const MIN_SESSIONS_FOR_ANOMALY = 3;
const MAX_ATTEMPTS = 4;
const RETRYABLE_PG_CODES = new Set(["40001", "40P01"]);

export interface IngestOutcome {
  results: BatchItemResult[];
  summary: { created: number; updated: number; duplicate: number; rejected: number };
}

/**
 * Records sessions with cumulative totals, exactly once: new ones are created, larger totals of a known
 * session add only the difference, equal totals change nothing, smaller ones are refused. One transaction.
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
  let plans: PlannedItem[] = [];
  for (let attempt = 1; valid.length > 0; attempt++) {
    try {
      plans = await writeInTransaction(ctx, userId, valid, origin, source, now);
      break;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
  return summarize(validated, plans);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof IngestRaceError) return true;
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
  return ctx.db.transaction(async (tx) => {
    const average = await lockUserStats(tx, userId);
    const keys = [
      ...new Map(
        valid.map(({ session }) => [
          `${session.toolType}\u0000${session.sessionId}`,
          { tool: session.toolType, hash: session.sessionId },
        ]),
      ).values(),
    ];
    const existing = await selectExistingSessions(tx, userId, keys);
    const plans = planIngest(valid, existing);
    const creates = plans.filter((plan): plan is Extract<WritePlan, { kind: "create" }> => plan.kind === "create");
    const grows = plans.filter((plan): plan is Extract<WritePlan, { kind: "grow" }> => plan.kind === "grow");
    await insertSessions(tx, userId, creates, now);
    await updateSessions(tx, grows, now);
    const writes = [...creates, ...grows] as Array<WritePlan & { id: string }>;
    const audit = buildAuditRows(plans, writes, average, source);
    if (writes.length > 0 || audit.length > 0) await applyAggregates(tx, userId, writes, audit, origin, now);
    return plans;
  });
}

function buildAuditRows(
  plans: PlannedItem[],
  writes: Array<WritePlan & { id: string }>,
  average: { tokens: number; sessions: number },
  source: "single" | "batch",
): AuditRow[] {
  const count = (kind: PlannedItem["kind"]) => plans.filter((plan) => plan.kind === kind).length;
  const rows: AuditRow[] = [];
  const created = count("create");
  const updated = count("grow");
  const duplicate = count("duplicate") + count("folded");
  if (created > 0) rows.push({ event_type: "session_created", details: { source, created, updated } });
  else if (updated > 0) rows.push({ event_type: "session_updated", details: { source, updated } });
  if (duplicate > 0) rows.push({ event_type: "session_duplicate", details: { source, duplicate } });
  if (average.sessions >= MIN_SESSIONS_FOR_ANOMALY) {
    const perSession = average.tokens / average.sessions;
    for (const write of writes) {
      const tokens = write.session.inputTokens + write.session.outputTokens;
      if (perSession > 0 && tokens > perSession * ANOMALY_FACTOR) {
        rows.push({
          event_type: "suspicious_activity",
          details: {
            reason: "session_over_10x_average",
            sessionId: write.id,
            tokens,
            averageTokens: Math.round(perSession),
          },
        });
      }
    }
  }
  return rows;
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
          fields: { inputTokens: `recorded ${plan.previous.inputTokens}, outputTokens ${plan.previous.outputTokens}` },
        },
      };
  }
}
