import type { ActivityAnalytics } from "@modu-arena/server";
import { getLocale, getTranslations } from "next-intl/server";
import { BarChart } from "@/components/charts/bar-chart";
import { DonutChart } from "@/components/charts/donut-chart";
import { Heatmap } from "@/components/charts/heatmap";
import { Card } from "@/components/ui/card";
import { CodingStyleCard } from "./coding-style-card";

const MODEL_COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ec4899", "#0ea5e9", "#8b5cf6", "#94a3b8"];

/** What the public profile and the dashboard share: the year heatmap, model/agent mix, patterns, style. */
export async function ActivitySection({ analytics }: { analytics: ActivityAnalytics }) {
  const t = await getTranslations("profile");
  const locale = await getLocale();
  const weekdayName = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  // 2024-01-01 was a Monday: ISO weekday n is that date + n - 1.
  const weekdays = analytics.weekday.map((bucket) => ({
    label: weekdayName.format(new Date(Date.UTC(2024, 0, bucket.weekday))),
    value: bucket.tokens,
  }));
  const hours = analytics.hourly.map((bucket) => ({ label: String(bucket.hour), value: bucket.tokens }));
  const models = analytics.models.slice(0, 7).map((model, index) => ({
    name: model.model,
    value: model.tokens,
    color: MODEL_COLORS[index % MODEL_COLORS.length]!,
  }));
  const tools = analytics.tools.map((tool) => ({
    name: tool.displayName,
    value: tool.tokens,
    color: tool.color ?? "var(--accent)",
  }));
  return (
    <div className="space-y-4">
      <Card title={t("heatmap")} testId="heatmap-card">
        <Heatmap days={analytics.heatmap} />
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t("models")} testId="models-card">
          {models.length ? <DonutChart data={models} label={t("models")} locale={locale} /> : <Empty />}
        </Card>
        <Card title={t("tools")} testId="tools-card">
          {tools.length ? <DonutChart data={tools} label={t("tools")} locale={locale} /> : <Empty />}
        </Card>
        <Card title={t("hourly")} subtitle={analytics.timezone}>
          <BarChart data={hours} label={t("hourly")} valueName={t("tokens")} locale={locale} height={200} />
        </Card>
        <Card title={t("weekday")}>
          <BarChart data={weekdays} label={t("weekday")} valueName={t("tokens")} locale={locale} height={200} />
        </Card>
      </div>
      <CodingStyleCard style={analytics.codingStyle} />
    </div>
  );
}

async function Empty() {
  const t = await getTranslations("profile");
  return <p className="text-muted text-sm">{t("noData")}</p>;
}
