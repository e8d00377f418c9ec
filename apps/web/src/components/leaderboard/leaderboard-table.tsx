import type { LeaderboardEntry } from "@modu-arena/core";
import { getLocale, getTranslations } from "next-intl/server";
import { Avatar } from "@/components/ui/avatar";
import { type HeadColumn, TableHead } from "@/components/ui/table-head";
import { TierBadge } from "@/components/ui/tier-badge";
import { Link } from "@/i18n/navigation";
import { formatCompact, formatNumber, formatPercent } from "@/lib/format";
import { type LeaderboardSort, leaderboardHref } from "@/lib/leaderboard-url";
import type { PeriodType } from "@/lib/periods";
import { ToolMixBar } from "./tool-mix-bar";

const MEDALS: Record<number, string> = { 1: "#f5c542", 2: "#cbd5e1", 3: "#e0a071" };

/** Top three get a medal-coloured disc (no emoji: not every system has an emoji font). */
function RankMark({ rank }: { rank: number }) {
  const medal = MEDALS[rank];
  if (!medal) return <span>{rank}</span>;
  return (
    <span
      className="inline-grid size-6 place-items-center rounded-full font-bold text-[#111] text-xs"
      style={{ background: medal }}
    >
      {rank}
    </span>
  );
}

/** A column header that reorders the board: a link, so the order lives in the URL and needs no script. */
async function SortLink({ period, column, active }: { period: PeriodType; column: LeaderboardSort; active: boolean }) {
  const t = await getTranslations("leaderboard");
  return (
    <Link
      href={leaderboardHref({ period, sort: column })}
      title={t("sortBy", { column: t(column) })}
      data-testid={`sort-${column}`}
      className={`inline-flex items-center gap-1 rounded-sm hover:text-fg ${active ? "text-fg" : ""}`}
    >
      {t(column)}
      <span aria-hidden="true" className={active ? "" : "opacity-0"}>
        ↓
      </span>
    </Link>
  );
}

export async function LeaderboardTable({
  rows,
  viewerId,
  period,
  sort,
}: {
  rows: LeaderboardEntry[];
  viewerId?: string;
  period: PeriodType;
  sort: LeaderboardSort;
}) {
  const t = await getTranslations("leaderboard");
  const locale = await getLocale();
  const sortable = (key: LeaderboardSort, shownFrom?: HeadColumn["shownFrom"]): HeadColumn => ({
    key,
    align: "right",
    shownFrom,
    sort: key === sort ? "descending" : undefined,
    label: <SortLink period={period} column={key} active={key === sort} />,
  });
  const columns: HeadColumn[] = [
    { key: "rank", label: t("rank"), className: "w-12" },
    { key: "user", label: t("user") },
    sortable("score"),
    sortable("tokens", "md"),
    sortable("sessions", "md"),
    sortable("efficiency", "lg"),
    sortable("streak", "sm"),
    { key: "projects", label: t("projects"), align: "right", shownFrom: "xl" },
    { key: "toolMix", label: t("toolMix"), align: "right", shownFrom: "xl" },
  ];
  return (
    <div className="overflow-hidden rounded-xl border border-border bg-surface">
      <table className="w-full border-collapse text-sm" data-testid="leaderboard">
        <caption className="sr-only">{t("caption")}</caption>
        <TableHead variant="board" columns={columns} />
        <tbody className="tabular">
          {rows.map((row) => {
            const mine = viewerId !== undefined && row.userId === viewerId;
            return (
              <tr
                key={`${row.rank}-${row.username}`}
                className={mine ? "border-border border-b bg-accent-soft" : "border-border border-b hover:bg-surface-2"}
                aria-current={mine ? "true" : undefined}
                data-testid={mine ? "viewer-row" : "leaderboard-row"}
              >
                <td className="lb-cell font-semibold">
                  <RankMark rank={row.rank} />
                </td>
                <td className="lb-cell">
                  <div className="flex min-w-0 items-center gap-2">
                    <Avatar name={row.username} url={row.avatarUrl} size={28} />
                    <div className="min-w-0">
                      {row.isPrivate ? (
                        <span className="block truncate text-muted italic" data-testid="anon-name">
                          {row.username}
                        </span>
                      ) : (
                        <a
                          href={`/${locale}/users/${encodeURIComponent(row.username)}`}
                          className="block truncate font-medium hover:underline"
                        >
                          {row.username}
                        </a>
                      )}
                      <div className="mt-0.5 flex items-center gap-1.5">
                        <TierBadge tier={row.tier} />
                        {mine ? <span className="text-accent text-xs">{t("you")}</span> : null}
                      </div>
                    </div>
                  </div>
                </td>
                <td className="lb-num font-semibold">{formatNumber(locale, row.compositeScore, 1)}</td>
                <td className="lb-num max-md:hidden">{formatCompact(locale, row.totalTokens)}</td>
                <td className="lb-num max-md:hidden">{formatNumber(locale, row.sessionCount)}</td>
                <td className="lb-num max-lg:hidden">{formatPercent(locale, row.efficiencyScore)}</td>
                <td className="lb-num max-sm:hidden">{t("days", { count: row.streakDays })}</td>
                <td className="lb-num max-xl:hidden">{formatNumber(locale, row.successfulProjects)}</td>
                <td className="lb-cell max-xl:hidden">
                  <ToolMixBar mix={row.toolMix} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
