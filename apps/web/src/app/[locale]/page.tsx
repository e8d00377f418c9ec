import { getGlobalStats, getLeaderboard } from "@modu-arena/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { GlobalStats } from "@/components/leaderboard/global-stats";
import { LeaderboardTable } from "@/components/leaderboard/leaderboard-table";
import { Pagination } from "@/components/leaderboard/pagination";
import { PeriodTabs } from "@/components/leaderboard/period-tabs";
import { ViewerRank } from "@/components/leaderboard/viewer-rank";
import { parseSort } from "@/lib/leaderboard-url";
import { parsePage, parsePeriod } from "@/lib/periods";
import { getAppContext } from "@/server/context";
import { getViewer } from "@/server/viewer";

const PAGE_SIZE = 50;

interface Props {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function LeaderboardPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const query = await searchParams;
  const period = parsePeriod(query.period);
  const sort = parseSort(query.sort);
  const page = parsePage(query.page);
  const ctx = getAppContext();
  const [board, stats, viewer, t] = await Promise.all([
    getLeaderboard(ctx, { period, sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    getGlobalStats(ctx),
    getViewer(),
    getTranslations("leaderboard"),
  ]);
  return (
    <div className="space-y-5">
      <div className="space-y-1">
        <h1 className="font-bold text-2xl tracking-tight sm:text-3xl">{t("title")}</h1>
        <p className="text-muted">{t("subtitle")}</p>
      </div>
      <GlobalStats stats={stats} />
      <PeriodTabs current={period} sort={sort} />
      {viewer ? <ViewerRank viewer={viewer} period={period} pageSize={PAGE_SIZE} /> : null}
      {board.data.length === 0 ? (
        <p className="rounded-xl border border-border bg-surface p-8 text-center text-muted">{t("empty")}</p>
      ) : (
        <LeaderboardTable rows={board.data} viewerId={viewer?.userId} period={period} sort={sort} />
      )}
      <Pagination period={period} sort={sort} page={page} totalPages={board.pagination.totalPages} />
    </div>
  );
}
