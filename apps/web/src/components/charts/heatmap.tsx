import { getLocale, getTranslations } from "next-intl/server";
import { formatCompact } from "@/lib/format";

export interface HeatmapCell {
  date: string;
  tokens: number;
  sessions: number;
  level: 0 | 1 | 2 | 3 | 4;
}

const CELL = 11;
const GAP = 3;

/** GitHub-style year grid as plain SVG: no JavaScript, one <title> per day for hover and screen readers. */
export async function Heatmap({ days }: { days: HeatmapCell[] }) {
  const t = await getTranslations("profile");
  const locale = await getLocale();
  if (days.length === 0) return <p className="text-muted text-sm">{t("noData")}</p>;
  const first = new Date(`${days[0]!.date}T00:00:00Z`);
  const offset = (first.getUTCDay() + 6) % 7; // Monday-first rows
  const weeks = Math.ceil((days.length + offset) / 7);
  const monthFormat = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const labels: Array<{ x: number; text: string }> = [];
  const cells = days.map((day, index) => {
    const slot = index + offset;
    const week = Math.floor(slot / 7);
    const date = new Date(`${day.date}T00:00:00Z`);
    if (date.getUTCDate() <= 7 && slot % 7 === 0 && week < weeks - 1) {
      labels.push({ x: week * (CELL + GAP), text: monthFormat.format(date) });
    }
    return { ...day, x: week * (CELL + GAP), y: (slot % 7) * (CELL + GAP) + 16, label: dateFormat.format(date) };
  });
  const width = weeks * (CELL + GAP);
  const height = 7 * (CELL + GAP) + 16;
  return (
    <div>
      {/* RTL scroller, LTR content: on a narrow screen the scroll starts at the newest weeks. */}
      <div dir="rtl" className="overflow-x-auto pb-1">
        <svg
          role="img"
          aria-label={t("heatmap")}
          viewBox={`0 0 ${width} ${height}`}
          style={{ minWidth: width, maxWidth: width * 1.6, direction: "ltr" }}
          className="block h-auto w-full shrink-0"
          data-testid="heatmap"
        >
          {labels.map((label) => (
            <text key={`${label.x}`} x={label.x} y={10} fontSize={9} fill="var(--muted)">
              {label.text}
            </text>
          ))}
          {cells.map((cell) => (
            <rect
              key={cell.date}
              x={cell.x}
              y={cell.y}
              width={CELL}
              height={CELL}
              rx={2}
              fill={`var(--heat-${cell.level})`}
              data-level={cell.level}
            >
              <title>
                {t("heatmapDay", {
                  date: cell.label,
                  tokens: formatCompact(locale, cell.tokens),
                  sessions: cell.sessions,
                })}
              </title>
            </rect>
          ))}
        </svg>
      </div>
      <div className="mt-2 flex items-center justify-end gap-1 text-muted text-xs" aria-hidden>
        <span>{t("less")}</span>
        {[0, 1, 2, 3, 4].map((level) => (
          <span
            key={level}
            className="inline-block size-2.5 rounded-sm"
            style={{ background: `var(--heat-${level})` }}
          />
        ))}
        <span>{t("more")}</span>
      </div>
    </div>
  );
}
