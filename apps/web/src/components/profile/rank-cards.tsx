import { getFormatter, getTranslations } from "next-intl/server";
import { PERIOD_TYPES, type PeriodType } from "@/lib/periods";

type RankEntry = { position: number; compositeScore: number; totalParticipants: number } | null;

/** One card per period: position of N and composite score. */
export async function RankCards({ ranks }: { ranks: Record<PeriodType, RankEntry> }) {
  const t = await getTranslations("profile");
  const p = await getTranslations("periods");
  const format = await getFormatter();
  return (
    <section aria-label={t("ranks")} className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="rank-cards">
      {PERIOD_TYPES.map((period) => {
        const rank = ranks[period];
        return (
          <div key={period} className="rounded-xl border border-border bg-surface p-3 sm:p-4">
            <div className="text-muted text-xs">{p(period)}</div>
            {rank ? (
              <>
                <div className="tabular mt-1 font-bold text-2xl">#{format.number(rank.position)}</div>
                <div className="text-muted text-xs">
                  {t("rankOf", {
                    position: format.number(rank.position),
                    total: format.number(rank.totalParticipants),
                  })}
                  {" · "}
                  {format.number(rank.compositeScore, { maximumFractionDigits: 1 })}
                </div>
              </>
            ) : (
              <div className="mt-1 font-semibold text-lg text-muted">{t("unranked")}</div>
            )}
          </div>
        );
      })}
    </section>
  );
}
