import { Hono, type MiddlewareHandler } from "hono";
import type { AppContext } from "../../context";
import { BADGE_CACHE_SECONDS, getBadgeSvg } from "../../services/badge/get-badge";
import { rateLimitByIp } from "../middleware/rate-limit";

/** `GET /api/badge/{username}.svg`, for READMEs: cacheable by CDNs and image proxies (e.g. GitHub's camo). */
export function createBadgeRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get("/:file{.+\\.svg}", rateLimitByIp(ctx, "public"), async (c) => {
    const username = c.req.param("file").slice(0, -".svg".length);
    const svg = await getBadgeSvg(ctx, username.slice(0, 64));
    return c.body(svg, 200, {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": `public, max-age=${BADGE_CACHE_SECONDS}, s-maxage=${BADGE_CACHE_SECONDS}`,
      // An SVG opened directly must not run anything.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  });
  return app;
}

/**
 * Badges are images for other sites' pages: browsers enforce Cross-Origin-Resource-Policy on them, so the
 * API's `same-site` must become `cross-origin`. Mounted before the secure-headers middleware to run after it.
 */
export function allowBadgeEmbedding(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.path.startsWith("/api/badge/")) c.res.headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  };
}
