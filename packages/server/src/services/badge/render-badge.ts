import type { Tier } from "@modu-arena/core";

export interface BadgeData {
  rank: number | null;
  tier: Tier;
  totalTokens: number;
}

const TIER_COLORS: Record<Tier, string> = {
  bronze: "#b0702f",
  silver: "#7d8794",
  gold: "#b8860b",
  platinum: "#2b8f87",
  diamond: "#4f6bed",
};
const NEUTRAL_COLOR = "#6e7681";
const LABEL = "modu arena";

/** 1234 → "1.2K", 5_600_000 → "5.6M": short enough for a README badge. */
export function formatCompact(value: number): string {
  const units: Array<[number, string]> = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, unit] of units) {
    if (value >= size) return `${(Math.floor((value / size) * 10) / 10).toFixed(1).replace(/\.0$/, "")}${unit}`;
  }
  return String(Math.max(0, Math.round(value)));
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[char]!);

// Verdana 11px averages about 6.8 px per character; a little slack beats clipped text.
const widthOf = (text: string) => Math.round(text.length * 6.8 + 12);

/** A flat shields-style SVG; `null` renders the neutral badge (private, unknown or unranked: indistinguishable). */
export function renderBadge(data: BadgeData | null): string {
  const value = data
    ? `${data.rank ? `#${data.rank} · ` : ""}${data.tier[0]!.toUpperCase()}${data.tier.slice(1)} · ${formatCompact(data.totalTokens)} tokens`
    : "unranked";
  const color = data ? TIER_COLORS[data.tier] : NEUTRAL_COLOR;
  const left = widthOf(LABEL);
  const right = widthOf(value);
  const total = left + right;
  const title = escapeXml(`${LABEL}: ${value}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${title}">
<title>${title}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#24292f"/><rect x="${left}" width="${right}" height="20" fill="${color}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${escapeXml(LABEL)}</text>
<text x="${left + right / 2}" y="14">${escapeXml(value)}</text>
</g>
</svg>`;
}
