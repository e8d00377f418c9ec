"use client";

import type { ReactNode } from "react";

/** A fixed-height box for a Recharts chart, labelled for screen readers (the numbers are also in the page). */
export function ChartFrame({ label, height, children }: { label: string; height: number; children: ReactNode }) {
  return (
    <div role="img" aria-label={label} style={{ height }} className="w-full min-w-0" data-testid="chart">
      {children}
    </div>
  );
}

export const tooltipStyle = {
  contentStyle: {
    background: "var(--surface)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    color: "var(--fg)",
    fontSize: 12,
  },
  labelStyle: { color: "var(--muted)" },
  cursor: { fill: "var(--surface-2)" },
} as const;

export function compact(locale: string) {
  const format = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  return (value: unknown) => format.format(Number(value) || 0);
}
