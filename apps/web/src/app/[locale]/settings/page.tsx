import { getAccount } from "@modu-arena/server";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ApiKeySection } from "@/components/settings/api-key-section";
import { DeleteAccount } from "@/components/settings/delete-account";
import { PasswordForm } from "@/components/settings/password-form";
import { PrivacySwitch } from "@/components/settings/privacy-switch";
import { ProfileForm } from "@/components/settings/profile-form";
import { Section } from "@/components/settings/section";
import { getAppContext } from "@/server/context";
import { requireViewer } from "@/server/viewer";

interface Props {
  params: Promise<{ locale: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "settings" });
  return { title: t("title") };
}

export default async function SettingsPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const viewer = await requireViewer(locale, "/settings");
  const account = await getAccount(getAppContext(), viewer.userId);
  const t = await getTranslations("settings");
  const link = "rounded-md border border-border bg-surface px-3 py-2 text-sm hover:bg-surface-2";
  return (
    <div className="space-y-4" data-testid="settings">
      <h1 className="font-bold text-2xl tracking-tight">{t("title")}</h1>
      <Section title={t("profile")}>
        <ProfileForm displayName={account.displayName} timezone={account.timezone} />
      </Section>
      <Section title={t("privacy")} hint={t("privacyHint")} testId="privacy-section">
        <PrivacySwitch initial={account.privacyMode} />
      </Section>
      <Section title={t("apiKey")} hint={t("apiKeyHint")}>
        <ApiKeySection initial={account.apiKey} />
      </Section>
      <Section title={t("password")}>
        <PasswordForm hasPassword={account.hasPassword} />
      </Section>
      <Section title={t("takeout")} hint={t("takeoutHint")}>
        <div className="flex flex-wrap gap-2">
          <a href="/api/me/export?format=json" className={link} download data-testid="takeout-json">
            {t("downloadJson")}
          </a>
          <a href="/api/me/export?format=csv&dataset=sessions" className={link} download>
            {t("downloadCsv")} · {t("sessionsCsv")}
          </a>
          <a href="/api/me/export?format=csv&dataset=daily" className={link} download>
            {t("downloadCsv")} · {t("dailyCsv")}
          </a>
        </div>
      </Section>
      <Section title={t("danger")} hint={t("dangerHint")}>
        <DeleteAccount username={account.username} hasPassword={account.hasPassword} />
      </Section>
    </div>
  );
}
