import type { EvaluationEntry } from "@modu-arena/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { CardTable } from "@/components/ui/card-table";

export async function Evaluations({ entries }: { entries: EvaluationEntry[] }) {
  const t = await getTranslations("dashboard");
  const format = await getFormatter();
  return (
    <CardTable
      title={t("evaluations")}
      testId="evaluations"
      empty={entries.length === 0 ? t("noEvaluations") : null}
      columns={[
        { key: "project", label: t("project") },
        { key: "finalScore", label: t("finalScore"), align: "right" },
        { key: "result", label: t("result") },
        { key: "date", label: t("date"), shownFrom: "sm" },
      ]}
    >
      {entries.map((entry) => (
        <tr key={entry.id} className="border-border border-b last:border-0">
          <td className="max-w-64 px-2 py-2">
            <div className="truncate font-medium">{entry.projectName}</div>
            {entry.feedback ? (
              <div className="line-clamp-2 text-muted text-xs" title={entry.feedback}>
                {entry.feedback}
              </div>
            ) : null}
          </td>
          <td className="px-2 py-2 text-right">{format.number(entry.finalScore, { maximumFractionDigits: 1 })}</td>
          <td className="px-2 py-2">
            <span className={entry.passed ? "text-good" : "text-muted"}>
              {entry.passed ? `✓ ${t("passed")}` : t("failed")}
            </span>
          </td>
          <td className="hidden whitespace-nowrap px-2 py-2 text-muted sm:table-cell">
            {format.dateTime(new Date(entry.evaluatedAt), { dateStyle: "medium" })}
          </td>
        </tr>
      ))}
    </CardTable>
  );
}
