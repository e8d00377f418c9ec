"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Alert, Button, Field } from "@/components/ui/form";
import { Link, useRouter } from "@/i18n/navigation";
import { callApi, explainError } from "@/lib/api-client";

export function SignInForm({ next }: { next: string }) {
  const t = useTranslations("auth");
  const e = useTranslations("errors");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await callApi("/api/auth/login", { body: { login: form.get("login"), password: form.get("password") } });
      router.replace(next);
      router.refresh();
    } catch (caught) {
      setError(t("failed", { message: explainError(caught, e) }));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="sign-in-form">
      <Field id="login" name="login" label={t("identifier")} autoComplete="username" required />
      <Field
        id="password"
        name="password"
        type="password"
        label={t("password")}
        autoComplete="current-password"
        required
      />
      {error ? <Alert>{error}</Alert> : null}
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? t("working") : t("submitSignIn")}
      </Button>
      <p className="text-center text-muted text-sm">
        {t("noAccount")}{" "}
        <Link href="/sign-up" className="font-medium text-accent hover:underline">
          {t("createOne")}
        </Link>
      </p>
    </form>
  );
}
