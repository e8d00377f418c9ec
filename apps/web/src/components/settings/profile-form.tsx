"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useMemo } from "react";
import { Alert, Button, Field } from "@/components/ui/form";
import { useRouter } from "@/i18n/navigation";
import { callApi } from "@/lib/api-client";
import { useAction } from "./use-action";

export function ProfileForm({ displayName, timezone }: { displayName: string | null; timezone: string }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const { busy, error, done, run } = useAction();
  const zones = useMemo(() => {
    const list = Intl.supportedValuesOf?.("timeZone") ?? [];
    return list.includes(timezone) ? list : [timezone, ...list];
  }, [timezone]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      await callApi("/api/me/settings", {
        method: "PATCH",
        body: { displayName: String(form.get("displayName") ?? ""), timezone: String(form.get("timezone")) },
      });
      router.refresh();
    });
  };
  return (
    <form onSubmit={submit} className="space-y-3" data-testid="profile-form">
      <Field
        id="displayName"
        name="displayName"
        label={t("displayName")}
        defaultValue={displayName ?? ""}
        maxLength={64}
      />
      <div className="space-y-1">
        <label htmlFor="timezone" className="block font-medium text-sm">
          {t("timezone")}
        </label>
        <select
          id="timezone"
          name="timezone"
          defaultValue={timezone}
          aria-describedby="timezone-hint"
          className="w-full rounded-md border border-border bg-bg px-3 py-2 text-sm"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
        <p id="timezone-hint" className="text-muted text-xs">
          {t("timezoneHint")}
        </p>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {done ? <Alert tone="good">{t("saved")}</Alert> : null}
      <Button type="submit" disabled={busy}>
        {t("save")}
      </Button>
    </form>
  );
}
