import { CODING_STYLES } from "@modu-arena/core";
import type { ActivityAnalytics } from "@modu-arena/server";
import { getTranslations } from "next-intl/server";
import { StyleRadar } from "@/components/charts/style-radar";
import { Card } from "@/components/ui/card";

export async function CodingStyleCard({ style }: { style: ActivityAnalytics["codingStyle"] }) {
  const t = await getTranslations("profile");
  const s = await getTranslations("styles");
  const data = CODING_STYLES.map((name) => ({ name: s(name), value: style.scores[name] }));
  // No tool calls yet: "Balanced" over four zeros would be a verdict on nothing.
  if (CODING_STYLES.every((name) => style.scores[name] === 0)) {
    return (
      <Card title={t("style")} testId="style-card">
        <p className="text-muted text-sm">{t("noData")}</p>
      </Card>
    );
  }
  return (
    <Card title={t("style")} testId="style-card">
      <div className="grid items-center gap-4 md:grid-cols-2">
        <div>
          <p className="font-bold text-2xl text-accent" data-testid="coding-style">
            {style.style ? s(style.style) : s("balanced")}
          </p>
          {style.style ? <p className="mt-1 text-muted text-sm">{s(`${style.style}Hint`)}</p> : null}
          <h3 className="mt-4 mb-2 font-medium text-muted text-xs uppercase tracking-wide">{t("styleScores")}</h3>
          <ul className="space-y-2">
            {CODING_STYLES.map((name) => (
              <li key={name} className="text-sm">
                <div className="flex justify-between">
                  <span>{s(name)}</span>
                  <span className="tabular font-medium">{Math.round(style.scores[name])}</span>
                </div>
                <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-surface-2" aria-hidden>
                  <div
                    className="h-full rounded-full bg-accent"
                    style={{ width: `${Math.min(100, style.scores[name])}%` }}
                  />
                </div>
              </li>
            ))}
          </ul>
        </div>
        <StyleRadar data={data} label={t("style")} />
      </div>
    </Card>
  );
}
