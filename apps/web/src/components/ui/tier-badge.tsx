import { useTranslations } from "next-intl";

const COLORS: Record<string, string> = {
  bronze: "var(--bronze)",
  silver: "var(--silver)",
  gold: "var(--gold)",
  platinum: "var(--platinum)",
  diamond: "var(--diamond)",
};

export function TierBadge({ tier, size = "sm" }: { tier: string; size?: "sm" | "md" }) {
  const t = useTranslations("tiers");
  const color = COLORS[tier] ?? COLORS.bronze;
  const known = tier in COLORS ? (tier as keyof typeof COLORS) : "bronze";
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full border font-medium ${size === "md" ? "px-2.5 py-1 text-sm" : "px-2 py-0.5 text-xs"}`}
      style={{ color, borderColor: color }}
      data-tier={known}
    >
      <svg aria-hidden viewBox="0 0 10 10" className="size-2.5" fill="currentColor">
        <path d="M5 0 10 5 5 10 0 5z" />
      </svg>
      {t(known)}
    </span>
  );
}
