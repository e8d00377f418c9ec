"use client";

import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { Alert, Button, Field } from "@/components/ui/form";
import { callApi } from "@/lib/api-client";
import { useAction } from "./use-action";

export function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const t = useTranslations("settings");
  const { busy, error, done, run } = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    void run(async () => {
      await callApi("/api/me/password", {
        body: {
          currentPassword: hasPassword ? String(form.get("currentPassword") ?? "") : undefined,
          newPassword: String(form.get("newPassword") ?? ""),
        },
      });
      element.reset();
    });
  };
  return (
    <form onSubmit={submit} className="space-y-3">
      {hasPassword ? (
        <Field
          id="currentPassword"
          name="currentPassword"
          type="password"
          label={t("currentPassword")}
          autoComplete="current-password"
          required
        />
      ) : null}
      <Field
        id="newPassword"
        name="newPassword"
        type="password"
        label={t("newPassword")}
        autoComplete="new-password"
        minLength={8}
        required
      />
      {error ? <Alert>{error}</Alert> : null}
      {done ? <Alert tone="good">{t("passwordChanged")}</Alert> : null}
      <Button type="submit" disabled={busy}>
        {t("changePassword")}
      </Button>
    </form>
  );
}
