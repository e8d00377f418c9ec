"use client";

import * as Switch from "@radix-ui/react-switch";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/form";
import { useRouter } from "@/i18n/navigation";
import { callApi } from "@/lib/api-client";
import { useAction } from "./use-action";

export function PrivacySwitch({ initial }: { initial: boolean }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [checked, setChecked] = useState(initial);
  const { busy, error, run } = useAction();
  const change = (next: boolean) =>
    void run(async () => {
      const account = await callApi<{ privacyMode: boolean }>("/api/me/settings", {
        method: "PATCH",
        body: { privacyMode: next },
      });
      setChecked(account.privacyMode);
      router.refresh();
    });
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3">
        <Switch.Root
          id="privacy-mode"
          checked={checked}
          disabled={busy}
          onCheckedChange={change}
          data-testid="privacy-switch"
          className="relative h-6 w-11 shrink-0 rounded-full bg-surface-2 outline-none ring-1 ring-border data-[state=checked]:bg-accent disabled:opacity-60"
        >
          <Switch.Thumb className="block size-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[22px]" />
        </Switch.Root>
        <label htmlFor="privacy-mode" className="font-medium text-sm">
          {t("privacyMode")}
        </label>
      </div>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}
