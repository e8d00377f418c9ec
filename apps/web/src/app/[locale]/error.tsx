"use client";

import { useTranslations } from "next-intl";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("nav");
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center" role="alert">
      <h1 className="font-bold text-2xl">{t("errorTitle")}</h1>
      <button type="button" onClick={reset} className="rounded-md bg-accent px-4 py-2 font-medium text-accent-fg">
        {t("retry")}
      </button>
    </div>
  );
}
