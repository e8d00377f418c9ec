import { getFormatter, getTranslations } from "next-intl/server";
import { Stat } from "@/components/ui/card";

interface Totals {
  totalTokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheTokens: number;
  sessions: number;
  projects: number;
}

export async function TotalsGrid({ totals }: { totals: Totals }) {
  const t = await getTranslations("profile");
  const format = await getFormatter();
  const compact = (value: number) => format.number(value, { notation: "compact", maximumFractionDigits: 1 });
  return (
    <section aria-label={t("totals")} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      <Stat label={t("totalTokens")} value={compact(totals.totalTokens)} />
      <Stat label={t("inputTokens")} value={compact(totals.inputTokens)} />
      <Stat label={t("outputTokens")} value={compact(totals.outputTokens)} />
      <Stat label={t("cacheTokens")} value={compact(totals.cacheTokens)} />
      <Stat label={t("sessions")} value={format.number(totals.sessions)} />
      <Stat label={t("projects")} value={format.number(totals.projects)} />
    </section>
  );
}
