"use client";

import { useSearchParams } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { usePathname, useRouter } from "@/i18n/navigation";
import { LOCALES, type Locale } from "@/i18n/routing";

const NAMES: Record<Locale, string> = { en: "English", ko: "한국어", ja: "日本語", zh: "中文" };

/** Switches the URL locale; a signed-in user's choice is also saved (emails follow it). */
export function LocaleSwitcher({ signedIn = false }: { signedIn?: boolean }) {
  const t = useTranslations("nav");
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();
  return (
    <label className="relative">
      <span className="sr-only">{t("language")}</span>
      <select
        data-testid="locale-switcher"
        value={locale}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value as Locale;
          const query = search.toString();
          if (signedIn) {
            void fetch("/api/me/settings", {
              method: "PATCH",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ locale: next }),
            }).catch(() => undefined);
          }
          startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { locale: next }));
        }}
        className="cursor-pointer rounded-md border border-border bg-surface px-2 py-1 text-sm"
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}
