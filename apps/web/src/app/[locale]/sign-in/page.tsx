import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignInForm } from "@/components/auth/sign-in-form";
import { redirect } from "@/i18n/navigation";
import { sanitizeNext } from "@/lib/url-guards";
import { getViewer } from "@/server/viewer";

interface Props {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "auth" });
  return { title: t("signInTitle") };
}

export default async function SignInPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  // Only same-origin paths of safe characters are followed after sign-in (no open redirect, no header injection).
  const next = sanitizeNext((await searchParams).next);
  // Already signed in: straight on to where sign-in would have led.
  if (await getViewer()) redirect({ href: next, locale });
  const t = await getTranslations("auth");
  return (
    <AuthShell title={t("signInTitle")} subtitle={t("signInSubtitle")}>
      <SignInForm next={next} />
    </AuthShell>
  );
}
