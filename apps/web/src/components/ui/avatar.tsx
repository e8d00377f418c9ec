/* biome-ignore-all lint/performance/noImgElement: avatars are tiny remote images; next/image would add a proxy hop */

const PALETTE = ["#4f46e5", "#0e7490", "#b45309", "#047857", "#be185d", "#7c3aed", "#0369a1", "#a16207"];

function hueOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export function Avatar({ name, url, size = 32 }: { name: string; url?: string | null; size?: number }) {
  if (url) {
    return <img src={url} alt="" width={size} height={size} className="shrink-0 rounded-full" loading="lazy" />;
  }
  const initials =
    name
      .replace(/[^\p{L}\p{N}]/gu, "")
      .slice(0, 2)
      .toUpperCase() || "?";
  return (
    <span
      aria-hidden
      className="initials"
      style={{ width: size, height: size, background: hueOf(name), fontSize: Math.round(size * 0.38) }}
    >
      {initials}
    </span>
  );
}
