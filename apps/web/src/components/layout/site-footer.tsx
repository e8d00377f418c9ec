import { getTranslations } from "next-intl/server";

export async function SiteFooter() {
  const t = await getTranslations("footer");
  return (
    <footer className="mx-auto w-full max-w-6xl px-3 pt-4 pb-10 text-muted text-sm sm:px-6">
      <p>{t("tagline")}</p>
    </footer>
  );
}
