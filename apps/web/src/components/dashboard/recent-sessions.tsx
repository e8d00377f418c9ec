import type { RecentSession } from "@modu-arena/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { CardTable } from "@/components/ui/card-table";
import { toolName } from "@/lib/tools";

export async function RecentSessions({ sessions, timezone }: { sessions: RecentSession[]; timezone: string }) {
  const t = await getTranslations("dashboard");
  const format = await getFormatter();
  const minutes = (seconds: number | null) =>
    seconds === null
      ? "–"
      : format.number(Math.round(seconds / 60), { style: "unit", unit: "minute", unitDisplay: "short" });
  return (
    <CardTable
      title={t("recentSessions")}
      testId="recent-sessions"
      empty={sessions.length === 0 ? t("noSessions") : null}
      columns={[
        { key: "ended", label: t("ended") },
        { key: "tool", label: t("tool") },
        { key: "model", label: t("model"), shownFrom: "sm" },
        { key: "tokens", label: t("tokens"), align: "right" },
        { key: "duration", label: t("duration"), align: "right", shownFrom: "sm" },
        { key: "lines", label: t("lines"), align: "right", shownFrom: "md" },
      ]}
    >
      {sessions.map((session) => (
        <tr key={session.id} className="border-border border-b last:border-0">
          <td className="whitespace-nowrap px-2 py-2">
            {format.dateTime(new Date(session.endedAt), {
              dateStyle: "short",
              timeStyle: "short",
              timeZone: timezone,
            })}
          </td>
          <td className="px-2 py-2">{toolName(session.toolType)}</td>
          <td className="hidden max-w-48 truncate px-2 py-2 text-muted sm:table-cell">{session.modelName ?? "–"}</td>
          <td className="px-2 py-2 text-right">
            {format.number(session.inputTokens + session.outputTokens, {
              notation: "compact",
              maximumFractionDigits: 1,
            })}
          </td>
          <td className="hidden px-2 py-2 text-right sm:table-cell">{minutes(session.durationSeconds)}</td>
          <td className="hidden px-2 py-2 text-right md:table-cell">
            <span className="text-good">+{format.number(session.linesAdded)}</span>{" "}
            <span className="text-bad">−{format.number(session.linesDeleted)}</span>
          </td>
        </tr>
      ))}
    </CardTable>
  );
}
