import { describeZodError, findFutureTimestamp, type SessionRecord, sessionInputSchema } from "@modu-arena/core";

export type ValidatedItem =
  | { index: number; ok: true; session: SessionRecord }
  | { index: number; ok: false; clientSessionId: string | null; fields: Record<string, string> };

/** Validates each item on its own: schema, clock skew, and the retention window (older data would be deleted). */
export function validateItems(items: unknown[], now: Date, retentionDays: number): ValidatedItem[] {
  return items.map((item, index) => {
    const parsed = sessionInputSchema.safeParse(item);
    if (!parsed.success) {
      return { index, ok: false, clientSessionId: readSessionId(item), fields: describeZodError(parsed.error) };
    }
    const future = findFutureTimestamp(parsed.data, now);
    if (future) return { index, ok: false, clientSessionId: parsed.data.sessionId, fields: { endedAt: future } };
    if (retentionDays > 0 && Date.parse(parsed.data.endedAt) < now.getTime() - retentionDays * 86_400_000) {
      return {
        index,
        ok: false,
        clientSessionId: parsed.data.sessionId,
        fields: { endedAt: `is older than the ${retentionDays}-day retention window` },
      };
    }
    return { index, ok: true, session: parsed.data };
  });
}

function readSessionId(item: unknown): string | null {
  if (item && typeof item === "object" && "sessionId" in item) {
    const value = (item as { sessionId: unknown }).sessionId;
    if (typeof value === "string") return value.slice(0, 256);
  }
  return null;
}
