import { LIMITS } from "@modu-arena/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { AppContext } from "../context";
import { errorResponse, handleError } from "./respond-error";
import { createAuthRoutes, createDevOutboxRoutes } from "./routes/auth";
import { allowBadgeEmbedding, createBadgeRoutes } from "./routes/badge";
import { createCliRoutes } from "./routes/cli";
import { createCronRoutes } from "./routes/cron";
import { createEvaluateRoutes } from "./routes/evaluate";
import { createMeRoutes } from "./routes/me";
import { createPublicRoutes } from "./routes/public";
import { createV1Routes } from "./routes/v1";

export type ApiRouteMounter = (app: Hono, ctx: AppContext) => void;

/**
 * The Hono app behind every `/api/*` path and `/cli/*` (the CLI this server hands out). Extra route groups
 * (auth, me, evaluation, badge) are mounted by the callers that own them through `extraRoutes`.
 */
export function createApiApp(ctx: AppContext, extraRoutes: ApiRouteMounter[] = []): Hono {
  const app = new Hono();
  app.use("/api/badge/*", allowBadgeEmbedding());
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-site", xFrameOptions: "DENY" }));
  app.use(
    "*",
    bodyLimit({
      maxSize: LIMITS.maxBodyBytes,
      onError: (c) => errorResponse(c, "payload_too_large", `The request body exceeds ${LIMITS.maxBodyBytes} bytes`),
    }),
  );
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });
  app.route("/api/v1", createV1Routes(ctx));
  app.route("/api/v1", createEvaluateRoutes(ctx));
  app.route("/api", createPublicRoutes(ctx));
  app.route("/api/cron", createCronRoutes(ctx));
  app.route("/api/auth", createAuthRoutes(ctx));
  app.route("/api/me", createMeRoutes(ctx));
  app.route("/api/badge", createBadgeRoutes(ctx));
  app.route("/api/dev", createDevOutboxRoutes(ctx));
  app.route("/cli", createCliRoutes(ctx));
  for (const mount of extraRoutes) mount(app, ctx);
  app.notFound((c) => errorResponse(c, "not_found", `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => handleError(error, c, ctx.log));
  return app;
}
