"use client";

import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import { ChartFrame, compact, tooltipStyle } from "./chart-frame";

export interface Slice {
  name: string;
  value: number;
  color: string;
}

/** Donut with an HTML legend beside it (names and shares readable without hovering). */
export function DonutChart({ data, label, locale }: { data: Slice[]; label: string; locale: string }) {
  const format = compact(locale);
  const total = data.reduce((sum, slice) => sum + slice.value, 0) || 1;
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  return (
    <div className="flex flex-col items-center gap-4 sm:flex-row">
      <div className="w-40 shrink-0">
        <ChartFrame label={label} height={160}>
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie
                data={data}
                dataKey="value"
                nameKey="name"
                innerRadius="58%"
                outerRadius="100%"
                stroke="var(--surface)"
                isAnimationActive={false}
              >
                {data.map((slice) => (
                  <Cell key={slice.name} fill={slice.color} />
                ))}
              </Pie>
              <Tooltip {...tooltipStyle} formatter={(value, name) => [format(value), name]} />
            </PieChart>
          </ResponsiveContainer>
        </ChartFrame>
      </div>
      <ul className="w-full min-w-0 space-y-1.5 text-sm">
        {data.map((slice) => (
          <li key={slice.name} className="flex items-center gap-2">
            <span aria-hidden className="size-2.5 shrink-0 rounded-sm" style={{ background: slice.color }} />
            <span className="min-w-0 flex-1 truncate">{slice.name}</span>
            <span className="tabular text-muted">{format(slice.value)}</span>
            <span className="tabular w-14 text-right font-medium">{percent.format(slice.value / total)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
