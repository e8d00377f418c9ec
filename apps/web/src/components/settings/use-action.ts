"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { explainError } from "@/lib/api-client";

/** Busy flag, error text and success flag around one async action of a settings form. */
export function useAction() {
  const t = useTranslations("settings");
  const e = useTranslations("errors");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await action();
      setDone(true);
    } catch (caught) {
      setError(t("error", { message: explainError(caught, e) }));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}
