import type { LeaderboardEntry } from "@modu-arena/core";
import { getLocale, getTranslations } from "next-intl/server";
import { Avatar } from "@/components/ui/avatar";
import { TierBadge } from "@/components/ui/tier-badge";
import { formatCompact, formatNumber, formatPercent } from "@/lib/format";
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
export async function LeaderboardTable({ rows, viewerId }: { rows: LeaderboardEntry[]; viewerId?: string }) {
  const t = await getTranslations("leaderboard");
  const locale = await getLocale();
  const th = "px-2 py-2 text-left font-medium text-muted text-xs uppercase tracking-wide sm:px-3";
  return (
    <div className="overflow-hidden rounded-xl border border-border bg-surface">
      <table className="w-full border-collapse text-sm" data-testid="leaderboard">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="border-border border-b bg-surface-2">
          <tr>
            <th scope="col" className={`${th} w-12`}>
              {t("rank")}
            </th>
            <th scope="col" className={th}>
              {t("user")}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t("score")}
            </th>
            <th scope="col" className={`${th} hidden text-right md:table-cell`}>
              {t("tokens")}
            </th>
            <th scope="col" className={`${th} hidden text-right md:table-cell`}>
              {t("sessions")}
            </th>
            <th scope="col" className={`${th} hidden text-right lg:table-cell`}>
              {t("efficiency")}
            </th>
            <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
              {t("streak")}
            </th>
            <th scope="col" className={`${th} hidden text-right xl:table-cell`}>
              {t("projects")}
            </th>
            <th scope="col" className={`${th} hidden text-right xl:table-cell`}>
              {t("toolMix")}
            </th>
          </tr>
        </thead>
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
