import { getCliRelease } from "@modu-arena/server";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getAppContext } from "@/server/context";
import { getPublicUrl } from "@/server/public-url";

interface Props {
  params: Promise<{ locale: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "auth" });
  return { title: t("signUpTitle") };
}

export default async function SignUpPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const [t, serverUrl] = await Promise.all([getTranslations("auth"), getPublicUrl()]);
  const cliVersion = getCliRelease(getAppContext())?.version ?? null;
  return (
    <AuthShell title={t("signUpTitle")} subtitle={t("signUpSubtitle")}>
      <SignUpForm install={{ serverUrl, cliVersion }} />
    </AuthShell>
  );
}
