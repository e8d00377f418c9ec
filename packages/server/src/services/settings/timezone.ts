import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../../context";

/** True for zones this runtime's Intl knows (IANA names such as Asia/Seoul, and UTC). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().trim().min(1).max(64).refine(isValidTimeZone, "not a known IANA time zone");

/**
 * The database buckets days with AT TIME ZONE, and its zone data can lag the runtime's (or lead it):
 * a zone is usable only when both know it.
 */
export async function isZoneKnownToDatabase(ctx: Pick<AppContext, "db">, zone: string): Promise<boolean> {
  if (!isValidTimeZone(zone)) return false;
  try {
    await ctx.db.execute(sql`SELECT now() AT TIME ZONE ${zone}`);
    return true;
  } catch {
    return false;
  }
}

/** The first candidate zone both Intl and the database know, else UTC (a stale stored zone never breaks a page). */
export async function resolveTimeZone(
  ctx: Pick<AppContext, "db">,
  candidates: Array<string | null | undefined>,
): Promise<string> {
  for (const candidate of candidates) {
    const zone = candidate?.trim();
    if (!zone) continue;
    if (zone === "UTC" || (await isZoneKnownToDatabase(ctx, zone))) return zone;
  }
  return "UTC";
}
