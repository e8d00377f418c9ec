import { getProfileAnalytics, getPublicProfile } from "@modu-arena/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Evaluations } from "@/components/dashboard/evaluations";
import { ActivitySection } from "@/components/profile/activity-section";
import { ProfileHeader } from "@/components/profile/profile-header";
import { RankCards } from "@/components/profile/rank-cards";
import { TotalsGrid } from "@/components/profile/totals-grid";
import { decodeUrlComponent } from "@/lib/url-guards";
import { getAppContext } from "@/server/context";

interface Props {
  params: Promise<{ locale: string; username: string }>;
}

async function load(username: string) {
  const ctx = getAppContext();
  try {
    return await Promise.all([getPublicProfile(ctx, username), getProfileAnalytics(ctx, username)]);
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { username } = await params;
  return { title: decodeUrlComponent(username) ?? "" };
}

export default async function ProfilePage({ params }: Props) {
  const { locale, username } = await params;
  setRequestLocale(locale);
  // Malformed percent-encoding (`ab%E0`, a lone `%`) names nobody: a 404, not a 500.
  const name = decodeUrlComponent(username);
  if (name === null) notFound();
  const [profile, analytics] = await load(name);
  const t = await getTranslations("profile");
  const badge = `/api/badge/${encodeURIComponent(profile.username)}.svg`;
  return (
    <div className="space-y-4">
      <ProfileHeader
        username={profile.username}
        displayName={profile.displayName}
        avatarUrl={profile.avatarUrl}
        tier={profile.tier}
        memberSince={profile.memberSince}
        streak={analytics.streak}
        actions={
          <a href={badge} className="inline-flex items-center gap-1 text-muted text-xs hover:text-fg">
            {/* biome-ignore lint/performance/noImgElement: a same-origin SVG badge */}
            <img src={badge} alt={t("badge")} height={20} className="h-5" />
          </a>
        }
      />
      <RankCards ranks={profile.rankings} />
      <TotalsGrid
        totals={{
          totalTokens: profile.stats.totalTokens,
          inputTokens: profile.stats.inputTokens,
          outputTokens: profile.stats.outputTokens,
          cacheTokens: profile.stats.cacheTokens,
          sessions: profile.stats.totalSessions,
          projects: profile.stats.successfulProjects,
        }}
      />
      <ActivitySection analytics={analytics} />
      <Evaluations entries={profile.evaluations} />
    </div>
  );
}
