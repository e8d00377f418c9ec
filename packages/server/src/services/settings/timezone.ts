import { z } from "zod";

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
