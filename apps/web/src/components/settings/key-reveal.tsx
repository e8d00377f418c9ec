"use client";

import { useTranslations } from "next-intl";
import { CopyButton } from "@/components/ui/copy-button";

/** A freshly created API key, shown once with a copy button. */
export function KeyReveal({ apiKey }: { apiKey: string }) {
  const t = useTranslations("settings");
  return (
    <div className="space-y-2 rounded-lg border border-accent/50 bg-accent-soft p-3" data-testid="new-api-key">
      <div className="font-medium text-sm">{t("newKey")}</div>
      <div className="flex items-center gap-2">
        <code
          className="min-w-0 flex-1 break-all rounded bg-surface px-2 py-1.5 font-mono text-xs"
          data-testid="api-key-value"
        >
          {apiKey}
        </code>
        <CopyButton text={apiKey} />
      </div>
      <p className="text-muted text-xs">{t("newKeyWarning")}</p>
    </div>
  );
}
