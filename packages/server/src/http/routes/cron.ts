import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { cleanupData } from "../../services/cleanup/cleanup-data";
import { calculateRankings } from "../../services/rankings/calculate-rankings";

function isCronSecret(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Scheduled jobs for external schedulers (crontab, PM2), protected by `Authorization: Bearer CRON_SECRET`. */
export function createCronRoutes(ctx: AppContext) {
  const app = new Hono();
  app.use("*", async (c, next) => {
    if (!isCronSecret(c.req.header("authorization"), ctx.config.cronSecret)) {
      throw new ServiceError("unauthorized", "A valid cron secret is required");
    }
    await next();
  });
  app.get("/calculate-rankings", async (c) => c.json({ success: true, ...(await calculateRankings(ctx)) }));
  app.get("/cleanup-data", async (c) => c.json({ success: true, ...(await cleanupData(ctx)) }));
  return app;
}
