import type { Hono } from "hono";
import { isDatabaseEmpty, seedDemoData } from "./admin/seed-demo";
import { buildConfig, type Config } from "./config/config";
import { parseEnv } from "./config/env";
import type { AppContext } from "./context";
import { createAppContext } from "./create-context";
import { type ApiRouteMounter, createApiApp } from "./http/app";
import { startScheduler } from "./infra/scheduler";
import { cleanupData } from "./services/cleanup/cleanup-data";
import { calculateRankings } from "./services/rankings/calculate-rankings";

export interface BootedServer {
  config: Config;
  ctx: AppContext;
  /** The Hono app for every `/api/*` request. */
  apiApp: Hono;
  close(): Promise<void>;
}

export interface BootOptions {
  env?: Record<string, string | undefined>;
  extraRoutes?: ApiRouteMounter[];
}

/**
 * Everything the one process needs before it listens: validated config, migrated database,
 * demo data on a fresh embedded database, the ranking and cleanup schedule, and the API app.
 */
export async function bootServer(options: BootOptions = {}): Promise<BootedServer> {
  const config = buildConfig(parseEnv(options.env ?? process.env));
  const running = await createAppContext(config);
  const { ctx } = running;
  const wantsDemo = config.seedDemo === "true" || (config.seedDemo === "auto" && running.dbHandle.kind === "pglite");
  const seedsDemo = wantsDemo && (await isDatabaseEmpty(ctx));
  if (seedsDemo) {
    ctx.log.info("empty database: adding demo data (first run only)");
    const seeded = await seedDemoData(ctx);
    ctx.log.info("demo data ready", seeded);
  }
  const scheduler = startScheduler(
    [
      {
        name: "calculate-rankings",
        intervalSeconds: config.rankingIntervalSeconds,
        run: () => calculateRankings(ctx),
        // Seeding ranked the demo data a moment ago.
        runAtStart: !seedsDemo,
      },
      { name: "cleanup-data", intervalSeconds: config.cleanupIntervalSeconds, run: () => cleanupData(ctx) },
    ],
    ctx.log,
  );
  const apiApp = createApiApp(ctx, options.extraRoutes);
  return {
    config,
    ctx,
    apiApp,
    close: async () => {
      scheduler.stop();
      await running.close();
    },
  };
}
