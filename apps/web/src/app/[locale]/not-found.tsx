import { useTranslations } from "next-intl";
import { Link } from "@/i18n/navigation";

export default function NotFound() {
  const t = useTranslations("profile");
  const c = useTranslations("nav");
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center" data-testid="not-found">
      <h1 className="font-bold text-2xl">{c("notFound")}</h1>
      <p className="text-muted">{t("notFoundBody")}</p>
      <Link href="/" className="inline-block rounded-md bg-accent px-4 py-2 font-medium text-accent-fg">
        {t("backHome")}
      </Link>
    </div>
  );
}
