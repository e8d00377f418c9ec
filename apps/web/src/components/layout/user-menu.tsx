"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useTranslations } from "next-intl";
import { Avatar } from "@/components/ui/avatar";
import { Link, useRouter } from "@/i18n/navigation";
import { callApi } from "@/lib/api-client";

const item =
  "block cursor-pointer rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-surface-2 data-[highlighted]:text-fg";

export function UserMenu({ username, privacyMode }: { username: string; privacyMode: boolean }) {
  const t = useTranslations("nav");
  const router = useRouter();
  const signOut = async () => {
    await callApi("/api/auth/logout", { method: "POST", body: {} }).catch(() => undefined);
    router.replace("/");
    router.refresh();
  };
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded-md border border-border bg-surface py-1 pr-2 pl-1 text-sm hover:bg-surface-2"
        data-testid="user-menu"
      >
        <Avatar name={username} size={24} />
        <span className="hidden max-w-32 truncate sm:inline" data-testid="viewer-name">
          {username}
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-44 rounded-lg border border-border bg-surface p-1 text-fg shadow-lg"
        >
          <DropdownMenu.Item asChild>
            <Link href="/dashboard" className={item}>
              {t("dashboard")}
            </Link>
          </DropdownMenu.Item>
          {privacyMode ? null : (
            <DropdownMenu.Item asChild>
              <Link href={`/users/${encodeURIComponent(username)}`} className={item}>
                @{username}
              </Link>
            </DropdownMenu.Item>
          )}
          <DropdownMenu.Item asChild>
            <Link href="/settings" className={item} data-testid="menu-settings">
              {t("settings")}
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Item className={item} onSelect={() => void signOut()} data-testid="sign-out">
            {t("signOut")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
