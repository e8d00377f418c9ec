"use client";

import { Bar, CartesianGrid, Cell, BarChart as RBarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, compact, tooltipStyle } from "./chart-frame";

export interface BarDatum {
  label: string;
  value: number;
  color?: string;
}

interface Props {
  data: BarDatum[];
  label: string;
  valueName: string;
  locale: string;
  height?: number;
  /** Horizontal bars with names on the left, for ranked lists. */
  horizontal?: boolean;
}

export function BarChart({ data, label, valueName, locale, height = 220, horizontal = false }: Props) {
  const format = compact(locale);
  return (
    <ChartFrame label={label} height={height}>
      <ResponsiveContainer width="100%" height="100%">
        <RBarChart
          data={data}
          layout={horizontal ? "vertical" : "horizontal"}
          margin={{ top: 4, right: 8, bottom: 0, left: horizontal ? 8 : -12 }}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={horizontal} horizontal={!horizontal} />
          {horizontal ? (
            <>
              <XAxis type="number" tickFormatter={format} stroke="var(--muted)" fontSize={11} />
              <YAxis type="category" dataKey="label" width={96} stroke="var(--muted)" fontSize={11} />
            </>
          ) : (
            <>
              <XAxis dataKey="label" stroke="var(--muted)" fontSize={11} interval="preserveStartEnd" />
              <YAxis tickFormatter={format} stroke="var(--muted)" fontSize={11} />
            </>
          )}
          <Tooltip {...tooltipStyle} formatter={(value) => [format(value), valueName]} />
          <Bar
            dataKey="value"
            name={valueName}
            fill="var(--accent)"
            radius={horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0]}
            isAnimationActive={false}
          >
            {data.map((datum) => (
              <Cell key={datum.label} fill={datum.color ?? "var(--accent)"} />
            ))}
          </Bar>
        </RBarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
