import { getUserRank } from "@modu-arena/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { leaderboardHref } from "@/lib/leaderboard-url";
import type { PeriodType } from "@/lib/periods";
import { getAppContext } from "@/server/context";
import type { Viewer } from "@/server/viewer";

const KEYS = { daily: "daily", weekly: "weekly", monthly: "monthly", all_time: "allTime" } as const;

/**
 * The signed-in viewer's own position in this period, with a link to the page that holds their row
 * (in ranking order: the position says nothing about where the row falls under another sort).
 */
export async function ViewerRank({
  viewer,
  period,
  pageSize,
}: {
  viewer: Viewer;
  period: PeriodType;
  pageSize: number;
}) {
  const rank = (await getUserRank(getAppContext(), { id: viewer.userId, username: viewer.username })).rankings[
    KEYS[period]
  ];
  if (!rank) return null;
  const t = await getTranslations("leaderboard");
  const format = await getFormatter();
  const page = Math.ceil(rank.position / pageSize);
  return (
    <p
      className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2 text-sm"
      data-testid="viewer-rank"
    >
      <span>
        {t("yourRank", { position: format.number(rank.position), total: format.number(rank.totalParticipants) })}
      </span>
      <Link href={leaderboardHref({ period, sort: "score", page })} className="font-medium text-accent hover:underline">
        {t("goToMyRow")} →
      </Link>
    </p>
  );
}
