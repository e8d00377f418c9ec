import type { Context, MiddlewareHandler } from "hono";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Origins this server answers as. With PUBLIC_URL set: that origin and the request's own (its scheme
 * and Host as received), nothing a forwarded header names. Without it: the own host under either scheme
 * (a TLS proxy in front makes the request look like http), and the forwarded host when the proxy is trusted.
 */
function ownOrigins(c: Context, ctx: AppContext): Set<string> {
  const own = new URL(c.req.url);
  const publicOrigin = originOf(ctx.config.publicUrl);
  if (publicOrigin) return new Set([publicOrigin, own.origin]);
  const hosts = [own.host];
  if (ctx.config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
    if (forwarded) hosts.push(forwarded);
  }
  return new Set(hosts.flatMap((host) => [`http://${host}`, `https://${host}`]));
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    // An unparsable PUBLIC_URL names no origin; the request's own still counts.
    return undefined;
  }
}

export type OriginVerdict = "same-origin" | "cross-site" | "unknown";

/** What the browser says about where a request comes from; non-browser clients send neither header. */
export function judgeRequestOrigin(c: Context, ctx: AppContext): OriginVerdict {
  const origin = c.req.header("origin");
  if (origin !== undefined) return ownOrigins(c, ctx).has(origin) ? "same-origin" : "cross-site";
  const site = c.req.header("sec-fetch-site");
  if (site === "same-origin") return "same-origin";
  if (site === "cross-site" || site === "same-site") return "cross-site";
  return "unknown";
}

/**
 * Cookie-authenticated writes must prove they come from our own pages (Origin or Sec-Fetch-Site);
 * SameSite=Lax alone does not cover same-site subdomains or old browsers.
 */
export function assertSameOriginWrite(c: Context, ctx: AppContext, requireProof: boolean): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const verdict = judgeRequestOrigin(c, ctx);
  if (verdict === "cross-site" || (requireProof && verdict !== "same-origin")) {
    throw new ServiceError("forbidden", "Cross-site request refused");
  }
}

/**
 * For forms without a session (sign-in, sign-up): a browser that says the request is cross-site is
 * refused (login CSRF); the CLI, which sends no Origin, is not.
 */
export function refuseCrossSite(ctx: AppContext): MiddlewareHandler {
  return async (c, next) => {
    assertSameOriginWrite(c, ctx, false);
    await next();
  };
}
