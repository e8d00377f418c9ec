/** Where sign-in leads when `next` is missing or refused. */
export const DEFAULT_NEXT = "/dashboard";

// A path on this site: one leading slash (never `//` or `/\`, which browsers read as another host),
// then only URL characters; no spaces, quotes, angle brackets, backslashes or raw control characters.
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?%#]*$/;

/**
 * The `next` of a sign-in link, kept only when it is a same-origin path of safe characters whose
 * percent-escapes are well-formed and decode to no control character or second host; else the dashboard.
 */
export function sanitizeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || next.length > 1024 || !SAFE_PATH.test(next)) return DEFAULT_NEXT;
  const decoded = decodeUrlComponent(next);
  if (decoded === null || /[\p{Cc}\\]/u.test(decoded) || /^\/[/\\]/.test(decoded)) return DEFAULT_NEXT;
  return next;
}

/** `decodeURIComponent` that answers null for malformed percent-encoding (`%E0`, a lone `%`) instead of throwing. */
export function decodeUrlComponent(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Whether every percent-escape of a request path is well-formed UTF-8; a path that is not is a 404. */
export function isDecodablePath(pathname: string): boolean {
  return pathname.split("/").every((segment) => decodeUrlComponent(segment) !== null);
}
