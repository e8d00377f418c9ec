import { getCliTarballUrl } from "@modu-arena/core/cli-release";
import { type Context, Hono } from "hono";
import type { AppContext } from "../../context";
import { getCliRelease } from "../../services/cli/get-cli-release";
import { rateLimitByIp } from "../middleware/rate-limit";
import { errorResponse } from "../respond-error";

/** The address users reach this server at: PUBLIC_URL, else the request's own origin (the proxy's when trusted). */
export function getPublicOrigin(c: Context, ctx: AppContext): string {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/+$/, "");
  const url = new URL(c.req.url);
  if (ctx.config.trustProxy) {
    const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
    return `${proto || url.protocol.slice(0, -1)}://${host || url.host}`;
  }
  return url.origin;
}

/**
 * `/cli/*`: the server hands out its own CLI, so that installing never depends on (or trusts) a registry.
 * `latest.json` names the version on offer; the tarball itself never changes under its name.
 */
export function createCliRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("*", rateLimitByIp(ctx, "public"));
  app.get("/latest.json", (c) => {
    const release = getCliRelease(ctx);
    if (!release)
      return errorResponse(
        c,
        "not_found",
        "This server has no packed CLI (run npm start or npm run pack -w packages/cli)",
      );
    c.header("Cache-Control", "no-cache");
    return c.json({
      version: release.version,
      tarball: getCliTarballUrl(getPublicOrigin(c, ctx), release.version),
      integrity: release.integrity,
    });
  });
  app.get("/:file{modu-arena-cli-.+\\.tgz}", (c) => {
    const release = getCliRelease(ctx);
    if (!release || c.req.param("file") !== release.file) {
      return errorResponse(c, "not_found", `No CLI tarball ${c.req.param("file")} on this server`);
    }
    const etag = `"${release.integrity}"`;
    const headers = {
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
      "X-Integrity": release.integrity,
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(new Uint8Array(release.bytes), 200, {
      ...headers,
      "Content-Type": "application/gzip",
      "Content-Length": String(release.bytes.length),
      "Content-Disposition": `attachment; filename="${release.file}"`,
    });
  });
  return app;
}
