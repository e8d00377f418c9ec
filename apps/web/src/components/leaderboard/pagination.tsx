import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { type LeaderboardSort, leaderboardHref } from "@/lib/leaderboard-url";
import type { PeriodType } from "@/lib/periods";

export async function Pagination({
  period,
  sort,
  page,
  totalPages,
}: {
  period: PeriodType;
  sort: LeaderboardSort;
  page: number;
  totalPages: number;
}) {
  const t = await getTranslations("leaderboard");
  if (totalPages <= 1) return null;
  const href = (target: number) => leaderboardHref({ period, sort, page: target });
  const button = "rounded-md border border-border bg-surface px-3 py-1.5 text-sm hover:bg-surface-2";
  return (
    <nav aria-label={t("pagination")} className="flex items-center justify-between gap-2">
      {page > 1 ? (
        <Link href={href(page - 1)} className={button} rel="prev" data-testid="page-prev">
          ← {t("previous")}
        </Link>
      ) : (
        <span />
      )}
      <span className="text-muted text-sm">{t("pageOf", { page, total: totalPages })}</span>
      {page < totalPages ? (
        <Link href={href(page + 1)} className={button} rel="next" data-testid="page-next">
          {t("next")} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
