// Building an Intl formatter costs far more than using one; a leaderboard page formats ~150 numbers.
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** Compact token counts (1.2M, 120만, 120万) in the viewer's locale. */
export function formatCompact(locale: string, value: number): string {
  return numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

export function formatNumber(locale: string, value: number, digits = 0): string {
  return numberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

export function formatPercent(locale: string, value: number): string {
  return numberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(value);
}
