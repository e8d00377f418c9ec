import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import type { Theme } from "@/lib/theme";
import { getViewer } from "@/server/viewer";
import { LocaleSwitcher } from "./locale-switcher";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

export async function SiteHeader({ theme }: { theme?: Theme }) {
  const t = await getTranslations("nav");
  const viewer = await getViewer();
  return (
    <header className="sticky top-0 z-40 border-border border-b bg-bg/90 backdrop-blur">
      <div className="mx-auto flex w-full max-w-6xl items-center gap-2 px-3 py-2 sm:gap-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-bold text-lg tracking-tight">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-accent text-accent-fg text-sm">
            M
          </span>
          <span className="hidden sm:inline">Modu-Arena</span>
        </Link>
        <nav aria-label={t("main")} className="flex items-center gap-1 text-sm sm:gap-3">
          <Link href="/" className="hidden rounded px-2 py-1 hover:bg-surface-2 sm:inline-block">
            {t("leaderboard")}
          </Link>
          {viewer ? (
            <Link href="/dashboard" className="rounded px-2 py-1 hover:bg-surface-2">
              {t("dashboard")}
            </Link>
          ) : null}
        </nav>
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          <LocaleSwitcher signedIn={viewer !== null} />
          <ThemeToggle initial={theme} />
          {viewer ? (
            <UserMenu username={viewer.username} privacyMode={viewer.privacyMode} />
          ) : (
            <Link
              href="/sign-in"
              className="whitespace-nowrap rounded-md bg-accent px-3 py-1.5 font-medium text-accent-fg text-sm hover:opacity-90"
            >
              {t("signIn")}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
