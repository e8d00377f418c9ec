import type { GlobalStats as Stats } from "@modu-arena/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { Stat } from "@/components/ui/card";

export async function GlobalStats({ stats }: { stats: Stats }) {
  const t = await getTranslations("leaderboard");
  const format = await getFormatter();
  const compact = (value: number) => format.number(value, { notation: "compact", maximumFractionDigits: 1 });
  return (
    <section aria-label={t("title")} className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="global-stats">
      <Stat label={t("statsUsers")} value={format.number(stats.users)} />
      <Stat label={t("statsTokens")} value={compact(stats.tokensToday)} />
      <Stat label={t("statsSessions")} value={format.number(stats.sessionsToday)} />
      <Stat label={t("statsTotalTokens")} value={compact(stats.totalTokens)} />
    </section>
  );
}
