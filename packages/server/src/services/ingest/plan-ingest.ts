import type { SessionRecord } from "@modu-arena/core";
import { compareTotals, sessionKey, subtractTotals, type TokenTotals, totalsOf } from "./token-delta";

export interface ExistingSession extends TokenTotals {
  id: string;
  toolType: string;
  sessionHash: string;
}

/** `totals` are the session's cumulative totals after the write, `delta` what the write adds. */
export type WritePlan =
  | { kind: "create"; index: number; session: SessionRecord; totals: TokenTotals; delta: TokenTotals; id?: string }
  | { kind: "grow"; index: number; session: SessionRecord; totals: TokenTotals; delta: TokenTotals; id: string };

export type PlannedItem =
  | WritePlan
  /** Equal totals: nothing to write. `target` is set when the equal item is earlier in the same batch. */
  | { kind: "duplicate"; index: number; session: SessionRecord; id: string | null; target?: WritePlan }
  /** A later, larger copy of a key already in this batch: merged into that item's write. */
  | { kind: "folded"; index: number; session: SessionRecord; target: WritePlan }
  | { kind: "shrunk"; index: number; session: SessionRecord; previous: TokenTotals };

/**
 * Decides, in memory, what each valid item does against the stored sessions. Items repeating a key
 * within one batch behave as if sent one after another.
 */
export function planIngest(
  items: Array<{ index: number; session: SessionRecord }>,
  existing: ExistingSession[],
): PlannedItem[] {
  const stored = new Map(existing.map((row) => [`${row.toolType}\u0000${row.sessionHash}`, row]));
  const pending = new Map<string, { totals: TokenTotals; plan: WritePlan }>();
  const plans: PlannedItem[] = [];
  for (const { index, session } of items) {
    const key = sessionKey(session);
    const row = stored.get(key);
    const entry = pending.get(key);
    const baseline = entry?.totals ?? (row ? totalsOf(row) : null);
    const next = totalsOf(session, baseline);
    if (!baseline) {
      const plan: WritePlan = { kind: "create", index, session, totals: next, delta: next };
      plans.push(plan);
      pending.set(key, { totals: next, plan });
      continue;
    }
    const comparison = compareTotals(baseline, next);
    if (comparison === "shrunk") {
      plans.push({ kind: "shrunk", index, session, previous: baseline });
    } else if (comparison === "equal") {
      plans.push({ kind: "duplicate", index, session, id: row?.id ?? null, target: entry?.plan });
    } else if (entry) {
      entry.plan.session = session;
      entry.plan.totals = next;
      entry.plan.delta = row ? subtractTotals(next, totalsOf(row)) : next;
      entry.totals = next;
      plans.push({ kind: "folded", index, session, target: entry.plan });
    } else {
      const plan: WritePlan = {
        kind: "grow",
        index,
        session,
        totals: next,
        delta: subtractTotals(next, baseline),
        id: row!.id,
      };
      plans.push(plan);
      pending.set(key, { totals: next, plan });
    }
  }
  return plans;
}
