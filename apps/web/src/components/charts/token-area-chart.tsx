"use client";

import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, compact, tooltipStyle } from "./chart-frame";

export interface TokenDay {
  date: string;
  input: number;
  /** Output without its reasoning part, which is its own series: the stack still sums to the day's tokens. */
  output: number;
  reasoning: number;
  cacheCreation: number;
  cacheRead: number;
}

const SERIES = [
  { key: "input", color: "#6366f1" },
  { key: "output", color: "#10b981" },
  { key: "reasoning", color: "#ec4899" },
  { key: "cacheCreation", color: "#f59e0b" },
  { key: "cacheRead", color: "#94a3b8" },
] as const;

/** Stacked daily token breakdown; `names` are the translated series labels. */
export function TokenAreaChart({
  data,
  names,
  label,
  locale,
}: {
  data: TokenDay[];
  names: Record<(typeof SERIES)[number]["key"], string>;
  label: string;
  locale: string;
}) {
  const format = compact(locale);
  const day = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const tickDate = (value: unknown) => day.format(new Date(`${String(value)}T00:00:00Z`));
  return (
    <ChartFrame label={label} height={260}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" tickFormatter={tickDate} stroke="var(--muted)" fontSize={11} minTickGap={24} />
          <YAxis tickFormatter={format} stroke="var(--muted)" fontSize={11} />
          <Tooltip {...tooltipStyle} labelFormatter={tickDate} formatter={(value, name) => [format(value), name]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((series) => (
            <Area
              key={series.key}
              type="monotone"
              dataKey={series.key}
              name={names[series.key]}
              stackId="tokens"
              stroke={series.color}
              fill={series.color}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
