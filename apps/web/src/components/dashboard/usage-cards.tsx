import type { Dashboard } from "@modu-arena/server";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { BarChart } from "@/components/charts/bar-chart";
import { TokenAreaChart } from "@/components/charts/token-area-chart";
import { Card, Stat } from "@/components/ui/card";

const CATEGORY_COLORS: Record<string, string> = {
  explorer: "#0ea5e9",
  creator: "#10b981",
  refactorer: "#f59e0b",
  automator: "#8b5cf6",
};

/** Token breakdown over time, tool-call counts and code metrics: the dashboard's own charts. */
export async function UsageCards({ dashboard }: { dashboard: Dashboard }) {
  const t = await getTranslations("dashboard");
  const locale = await getLocale();
  const format = await getFormatter();
  const timeline = dashboard.tokenTimeline.map((day) => ({
    date: day.date,
    input: day.inputTokens,
    output: day.outputTokens - day.reasoningTokens,
    reasoning: day.reasoningTokens,
    cacheCreation: day.cacheCreationTokens,
    cacheRead: day.cacheReadTokens,
  }));
  const tools = dashboard.toolUsage.slice(0, 12).map((tool) => ({
    label: tool.name,
    value: tool.count,
    color: tool.category ? CATEGORY_COLORS[tool.category] : undefined,
  }));
  const metrics = dashboard.codeMetrics;
  return (
    <>
      <Card title={t("tokenBreakdown")} subtitle={dashboard.timezone} testId="token-breakdown">
        <TokenAreaChart
          data={timeline}
          label={t("tokenBreakdown")}
          locale={locale}
          names={{
            input: t("input"),
            output: dashboard.totals.reasoningTokens > 0 ? t("outputExcludingReasoning") : t("output"),
            reasoning: t("reasoning"),
            cacheCreation: t("cacheCreation"),
            cacheRead: t("cacheRead"),
          }}
        />
      </Card>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title={t("toolUsage")} subtitle={t("toolUsageHint")} className="lg:col-span-2" testId="tool-usage">
          {tools.length ? (
            <BarChart
              data={tools}
              label={t("toolUsage")}
              valueName={t("toolUsage")}
              locale={locale}
              horizontal
              height={Math.max(160, tools.length * 26)}
            />
          ) : (
            <p className="text-muted text-sm">{t("noSessions")}</p>
          )}
        </Card>
        <section
          aria-label={t("codeMetrics")}
          className="grid grid-cols-2 content-start gap-3"
          data-testid="code-metrics"
        >
          <h2 className="col-span-2 font-semibold">{t("codeMetrics")}</h2>
          <Stat
            label={t("linesAdded")}
            value={<span className="text-good">+{format.number(metrics.linesAdded)}</span>}
          />
          <Stat
            label={t("linesDeleted")}
            value={<span className="text-bad">−{format.number(metrics.linesDeleted)}</span>}
          />
          <Stat label={t("filesModified")} value={format.number(metrics.filesModified)} />
          <Stat label={t("filesCreated")} value={format.number(metrics.filesCreated)} />
        </section>
      </div>
    </>
  );
}
