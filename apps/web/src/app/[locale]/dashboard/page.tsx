import { getCliRelease, getDashboard } from "@modu-arena/server";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Evaluations } from "@/components/dashboard/evaluations";
import { InstallCard } from "@/components/dashboard/install-card";
import { RecentSessions } from "@/components/dashboard/recent-sessions";
import { UsageCards } from "@/components/dashboard/usage-cards";
import { ActivitySection } from "@/components/profile/activity-section";
import { ProfileHeader } from "@/components/profile/profile-header";
import { RankCards } from "@/components/profile/rank-cards";
import { TotalsGrid } from "@/components/profile/totals-grid";
import { Link } from "@/i18n/navigation";
import { getAppContext } from "@/server/context";
import { getPublicUrl } from "@/server/public-url";
import { requireViewer } from "@/server/viewer";

interface Props {
  params: Promise<{ locale: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "dashboard" });
  return { title: t("title") };
}

export default async function DashboardPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const viewer = await requireViewer(locale, "/dashboard");
  const [dashboard, serverUrl, t] = await Promise.all([
    getDashboard(getAppContext(), viewer.userId),
    getPublicUrl(),
    getTranslations("dashboard"),
  ]);
  const { account, totals, rankings } = dashboard;
  return (
    <div className="space-y-4" data-testid="dashboard">
      <ProfileHeader
        username={account.username}
        displayName={account.displayName}
        avatarUrl={account.avatarUrl}
        tier={dashboard.tier}
        memberSince={account.createdAt}
        streak={dashboard.streak}
        actions={
          account.privacyMode ? null : (
            <Link
              href={`/users/${encodeURIComponent(account.username)}`}
              className="text-accent text-sm hover:underline"
            >
              {t("publicProfile")} →
            </Link>
          )
        }
      />
      {account.privacyMode ? (
        <p className="rounded-lg border border-border bg-accent-soft px-3 py-2 text-sm" data-testid="privacy-notice">
          {t("privacyOn")}
        </p>
      ) : null}
      <RankCards
        ranks={{
          daily: rankings.daily,
          weekly: rankings.weekly,
          monthly: rankings.monthly,
          all_time: rankings.allTime,
        }}
      />
      <TotalsGrid
        totals={{
          totalTokens: totals.totalTokens,
          inputTokens: totals.inputTokens,
          outputTokens: totals.outputTokens,
          cacheTokens: totals.cacheCreationTokens + totals.cacheReadTokens,
          sessions: totals.sessions,
          projects: totals.successfulProjects,
        }}
      />
      <InstallCard
        serverUrl={serverUrl}
        cliVersion={getCliRelease(getAppContext())?.version ?? null}
        keyPrefix={account.apiKey?.prefix ?? null}
      />
      <UsageCards dashboard={dashboard} />
      <ActivitySection analytics={dashboard} />
      <RecentSessions sessions={dashboard.recentSessions} timezone={dashboard.timezone} />
      <Evaluations entries={dashboard.evaluations} />
    </div>
  );
}
