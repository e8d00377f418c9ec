import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { type LeaderboardSort, leaderboardHref } from "@/lib/leaderboard-url";
import { PERIOD_TYPES, type PeriodType, periodSlug } from "@/lib/periods";

/** Tabs as links: period and sort live in the URL, so they are shareable and work without JavaScript. */
export async function PeriodTabs({ current, sort }: { current: PeriodType; sort: LeaderboardSort }) {
  const t = await getTranslations("periods");
  return (
    <nav aria-label={t("label")} className="flex gap-1 overflow-x-auto rounded-lg border border-border bg-surface p-1">
      {PERIOD_TYPES.map((period) => {
        const active = period === current;
        return (
          <Link
            key={period}
            href={leaderboardHref({ period, sort })}
            aria-current={active ? "page" : undefined}
            data-testid={`period-${periodSlug(period)}`}
            className={`whitespace-nowrap rounded-md px-3 py-1.5 font-medium text-sm ${
              active ? "bg-accent text-accent-fg" : "text-muted hover:bg-surface-2 hover:text-fg"
            }`}
          >
            {t(period)}
          </Link>
        );
      })}
    </nav>
  );
}
