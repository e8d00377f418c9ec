import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { type PeriodType, periodSlug } from "@/lib/periods";

export async function Pagination({
  period,
  page,
  totalPages,
}: {
  period: PeriodType;
  page: number;
  totalPages: number;
}) {
  const t = await getTranslations("leaderboard");
  if (totalPages <= 1) return null;
  const href = (target: number) => ({ pathname: "/", query: { period: periodSlug(period), page: String(target) } });
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
