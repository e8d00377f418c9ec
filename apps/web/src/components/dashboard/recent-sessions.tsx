import type { RecentSession } from "@modu-arena/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { toolName } from "@/lib/tools";

export async function RecentSessions({ sessions, timezone }: { sessions: RecentSession[]; timezone: string }) {
  const t = await getTranslations("dashboard");
  const format = await getFormatter();
  const th = "px-2 py-2 text-left font-medium text-muted text-xs";
  const minutes = (seconds: number | null) =>
    seconds === null
      ? "–"
      : format.number(Math.round(seconds / 60), { style: "unit", unit: "minute", unitDisplay: "short" });
  return (
    <Card title={t("recentSessions")} testId="recent-sessions">
      {sessions.length === 0 ? (
        <p className="text-muted text-sm">{t("noSessions")}</p>
      ) : (
        <div className="-mx-2 overflow-x-auto">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-border border-b">
                <th scope="col" className={th}>
                  {t("ended")}
                </th>
                <th scope="col" className={th}>
                  {t("tool")}
                </th>
                <th scope="col" className={`${th} hidden sm:table-cell`}>
                  {t("model")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("tokens")}
                </th>
                <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
                  {t("duration")}
                </th>
                <th scope="col" className={`${th} hidden text-right md:table-cell`}>
                  {t("lines")}
                </th>
              </tr>
            </thead>
            <tbody className="tabular">
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
                  <td className="hidden max-w-48 truncate px-2 py-2 text-muted sm:table-cell">
                    {session.modelName ?? "–"}
                  </td>
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
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
