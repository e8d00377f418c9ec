import type { WritePlan } from "./plan-ingest";

export interface UsageRow {
  session_id: string;
  tool: string;
  model: string | null;
  input: number;
  output: number;
  cache_creation: number;
  cache_read: number;
  recorded_at: string;
}

export interface DayRow {
  day: string;
  input: number;
  output: number;
  cache_creation: number;
  cache_read: number;
  sessions: number;
  by_tool: Record<string, { tokens: number; sessions: number }>;
  by_model: Record<string, number>;
}

export interface UserDelta {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  sessionsCreated: number;
  tokensByTool: Record<string, number>;
  sessionsByTool: Record<string, number>;
  lastActivityAt: string | null;
}

/** UTC calendar day of an ISO instant (with or without offset). */
export function utcDayOf(isoInstant: string): string {
  return new Date(isoInstant).toISOString().slice(0, 10);
}

function add(record: Record<string, number>, key: string, amount: number): void {
  record[key] = (record[key] ?? 0) + amount;
}

/** Folds the writes of one request into ledger rows, per-day rows and the user's total change. */
export function aggregateDeltas(writes: Array<WritePlan & { id: string }>): {
  usage: UsageRow[];
  days: DayRow[];
  user: UserDelta;
} {
  const usage: UsageRow[] = [];
  const days = new Map<string, DayRow>();
  const user: UserDelta = {
    input: 0,
    output: 0,
    cacheCreation: 0,
    cacheRead: 0,
    sessionsCreated: 0,
    tokensByTool: {},
    sessionsByTool: {},
    lastActivityAt: null,
  };
  for (const write of writes) {
    const { session, delta } = write;
    const created = write.kind === "create" ? 1 : 0;
    const tokens = delta.inputTokens + delta.outputTokens;
    const endedAt = new Date(session.endedAt).toISOString();
    usage.push({
      session_id: write.id,
      tool: session.toolType,
      model: session.modelName ?? null,
      input: delta.inputTokens,
      output: delta.outputTokens,
      cache_creation: delta.cacheCreationTokens,
      cache_read: delta.cacheReadTokens,
      recorded_at: endedAt,
    });
    const dayKey = utcDayOf(endedAt);
    const day = days.get(dayKey) ?? {
      day: dayKey,
      input: 0,
      output: 0,
      cache_creation: 0,
      cache_read: 0,
      sessions: 0,
      by_tool: {},
      by_model: {},
    };
    day.input += delta.inputTokens;
    day.output += delta.outputTokens;
    day.cache_creation += delta.cacheCreationTokens;
    day.cache_read += delta.cacheReadTokens;
    day.sessions += created;
    const bucket = day.by_tool[session.toolType] ?? { tokens: 0, sessions: 0 };
    bucket.tokens += tokens;
    bucket.sessions += created;
    day.by_tool[session.toolType] = bucket;
    if (session.modelName) add(day.by_model, session.modelName, tokens);
    days.set(dayKey, day);

    user.input += delta.inputTokens;
    user.output += delta.outputTokens;
    user.cacheCreation += delta.cacheCreationTokens;
    user.cacheRead += delta.cacheReadTokens;
    user.sessionsCreated += created;
    add(user.tokensByTool, session.toolType, tokens);
    if (created) add(user.sessionsByTool, session.toolType, 1);
    if (!user.lastActivityAt || endedAt > user.lastActivityAt) user.lastActivityAt = endedAt;
  }
  return { usage, days: [...days.values()], user };
}
