import type { Streak } from "@modu-arena/core";
import { getFormatter, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { Avatar } from "@/components/ui/avatar";
import { FlameIcon } from "@/components/ui/icons";
import { TierBadge } from "@/components/ui/tier-badge";

interface Props {
  username: string;
  displayName: string | null;
  avatarUrl: string | null;
  tier: string;
  memberSince: string;
  streak: Streak;
  actions?: ReactNode;
}

export async function ProfileHeader({ username, displayName, avatarUrl, tier, memberSince, streak, actions }: Props) {
  const t = await getTranslations("profile");
  const format = await getFormatter();
  return (
    <div className="flex flex-wrap items-center gap-4 rounded-xl border border-border bg-surface p-4 sm:p-5">
      <Avatar name={username} url={avatarUrl} size={56} />
      <div className="min-w-0 flex-1 basis-48">
        <h1 className="truncate font-bold text-2xl tracking-tight" data-testid="profile-name">
          {displayName || username}
        </h1>
        <div className="mt-1 flex flex-wrap items-center gap-2 text-muted text-sm">
          {displayName ? <span>@{username}</span> : null}
          <TierBadge tier={tier} size="md" />
          <span>{t("memberSince", { date: format.dateTime(new Date(memberSince), { dateStyle: "medium" }) })}</span>
        </div>
      </div>
      <div className="flex w-full gap-6 text-center sm:w-auto">
        <div>
          <div className="tabular flex items-center justify-center gap-1 font-bold text-2xl">
            <FlameIcon />
            {streak.current}
          </div>
          <div className="text-muted text-xs">{t("currentStreak")}</div>
        </div>
        <div>
          <div className="tabular font-bold text-2xl">{streak.longest}</div>
          <div className="text-muted text-xs">{t("longestStreak")}</div>
        </div>
      </div>
      {actions ? <div className="flex w-full flex-wrap gap-2 sm:w-auto">{actions}</div> : null}
    </div>
  );
}
