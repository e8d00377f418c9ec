"use client";

import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useEffect, useState } from "react";
import { InstallCommand } from "@/components/dashboard/install-command";
import { KeyReveal } from "@/components/settings/key-reveal";
import { Alert, Button, Field } from "@/components/ui/form";
import { Link, useRouter } from "@/i18n/navigation";
import { callApi, explainError } from "@/lib/api-client";
import { rememberFreshApiKey } from "@/lib/fresh-api-key";
import { StepIndicator } from "./step-indicator";

type Step = "email" | "code" | "account" | "done";

/** Where the install line of the success step points: this server and the CLI version it hands out. */
export interface InstallTarget {
  serverUrl: string;
  cliVersion: string | null;
}

export function SignUpForm({ install }: { install: InstallTarget }) {
  const t = useTranslations("auth");
  const e = useTranslations("errors");
  const locale = useLocale();
  const router = useRouter();
  const [step, setStep] = useState<Step>("email");
  const [email, setEmail] = useState("");
  const [signupToken, setSignupToken] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [cooldown, setCooldown] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (cooldown <= 0) return;
    const timer = setTimeout(() => setCooldown((value) => value - 1), 1000);
    return () => clearTimeout(timer);
  }, [cooldown]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(t("failed", { message: explainError(caught, e) }));
    } finally {
      setBusy(false);
    }
  };

  const sendCode = (address: string) =>
    run(async () => {
      const sent = await callApi<{ resendAfterSeconds: number }>("/api/auth/send-code", {
        body: { email: address, locale },
      });
      setEmail(address);
      setCooldown(sent.resendAfterSeconds);
      setStep("code");
    });

  const onEmail = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void sendCode(String(new FormData(event.currentTarget).get("email") ?? ""));
  };
  const onCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    void run(async () => {
      const verified = await callApi<{ signupToken: string }>("/api/auth/verify-code", { body: { email, code } });
      setSignupToken(verified.signupToken);
      setStep("account");
    });
  };
  const onAccount = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const created = await callApi<{ apiKey: string }>("/api/auth/register", {
        body: { signupToken, username: form.get("username"), password: form.get("password") },
      });
      setApiKey(created.apiKey);
      rememberFreshApiKey(created.apiKey);
      setStep("done");
      router.refresh();
    });
  };

  return (
    <div className="space-y-5" data-testid="sign-up-form">
      <StepIndicator
        steps={[t("stepEmail"), t("stepCode"), t("stepAccount")]}
        current={{ email: 0, code: 1, account: 2, done: 3 }[step]}
      />
      {step === "email" ? (
        <form onSubmit={onEmail} className="space-y-4">
          <Field id="email" name="email" type="email" label={t("email")} autoComplete="email" required />
          <Button type="submit" disabled={busy} className="w-full">
            {busy ? t("working") : t("sendCode")}
          </Button>
        </form>
      ) : null}
      {step === "code" ? (
        <form onSubmit={onCode} className="space-y-4">
          <Alert tone="good">{t("codeSent", { email })}</Alert>
          <Field
            id="code"
            name="code"
            label={t("code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            className="w-full rounded-md border border-border bg-bg px-3 py-2 text-center font-mono text-xl tracking-[0.5em]"
          />
          <Button type="submit" disabled={busy} className="w-full">
            {busy ? t("working") : t("verify")}
          </Button>
          <Button
            variant="secondary"
            disabled={busy || cooldown > 0}
            onClick={() => void sendCode(email)}
            className="w-full"
          >
            {cooldown > 0 ? t("resendIn", { seconds: cooldown }) : t("resend")}
          </Button>
        </form>
      ) : null}
      {step === "account" ? (
        <form onSubmit={onAccount} className="space-y-4">
          <Field
            id="username"
            name="username"
            label={t("username")}
            hint={t("usernameHint")}
            autoComplete="username"
            required
            minLength={3}
            maxLength={39}
          />
          <Field
            id="new-password"
            name="password"
            type="password"
            label={t("password")}
            hint={t("passwordHint")}
            autoComplete="new-password"
            required
            minLength={8}
          />
          <Button type="submit" disabled={busy} className="w-full">
            {busy ? t("working") : t("createAccount")}
          </Button>
        </form>
      ) : null}
      {step === "done" ? <SignUpDone apiKey={apiKey} install={install} /> : null}
      {error ? <Alert>{error}</Alert> : null}
      {step !== "done" ? (
        <p className="text-center text-muted text-sm">
          {t("haveAccount")}{" "}
          <Link href="/sign-in" className="font-medium text-accent hover:underline">
            {t("signInTitle")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

function SignUpDone({ apiKey, install }: { apiKey: string; install: InstallTarget }) {
  const d = useTranslations("dashboard");
  return (
    <div className="space-y-4">
      <KeyReveal apiKey={apiKey} />
      {install.cliVersion ? (
        <div className="space-y-2" data-testid="sign-up-install">
          <div className="font-medium text-sm">{d("install")}</div>
          <InstallCommand
            serverUrl={install.serverUrl}
            cliVersion={install.cliVersion}
            apiKey={apiKey}
            placeholder="<api-key>"
          />
        </div>
      ) : null}
      <Link
        href="/dashboard"
        className="block rounded-md bg-accent px-4 py-2 text-center font-medium text-accent-fg text-sm"
        data-testid="go-dashboard"
      >
        {d("title")} →
      </Link>
    </div>
  );
}
