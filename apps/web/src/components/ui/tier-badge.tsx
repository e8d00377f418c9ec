import { TIERS, type Tier } from "@modu-arena/core";
import { useTranslations } from "next-intl";

/** Tier pill; colours come from `.tier[data-tier]` in globals.css (one short class per row). */
export function TierBadge({ tier, size = "sm" }: { tier: string; size?: "sm" | "md" }) {
  const t = useTranslations("tiers");
  const known: Tier = (TIERS as readonly string[]).includes(tier) ? (tier as Tier) : "bronze";
  return (
    <span className={size === "md" ? "tier tier-md" : "tier"} data-tier={known}>
      {t(known)}
    </span>
  );
}
