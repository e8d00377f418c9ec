"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

export function CopyButton({ text }: { text: string }) {
  const t = useTranslations("settings");
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard needs a secure context; the text stays selectable for a manual copy.
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button
      type="button"
      onClick={() => void copy()}
      className="shrink-0 rounded-md border border-border bg-surface px-2.5 py-1.5 text-xs hover:bg-surface-2"
    >
      <span aria-live="polite">{copied ? t("copied") : t("copy")}</span>
    </button>
  );
}
