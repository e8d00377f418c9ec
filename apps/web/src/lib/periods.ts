import { PERIOD_TYPES, type PeriodType } from "@modu-arena/core";

export type { PeriodType };
export { PERIOD_TYPES };

/** URL spelling of a period (`all-time`) to the service's (`all_time`); anything else falls back to weekly. */
export function parsePeriod(value: string | string[] | undefined): PeriodType {
  const raw = Array.isArray(value) ? value[0] : value;
  const normal = raw?.replace("-", "_");
  return (PERIOD_TYPES as readonly string[]).includes(normal ?? "") ? (normal as PeriodType) : "weekly";
}

export function periodSlug(period: PeriodType): string {
  return period.replace("_", "-");
}

export function parsePage(value: string | string[] | undefined): number {
  const raw = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(raw) && raw >= 1 && raw <= 100_000 ? raw : 1;
}
