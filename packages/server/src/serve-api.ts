import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { bootServer } from "./boot";

/**
 * The API alone, without the pages: the same boot and Hono app as `apps/web/server.ts`, for
 * benchmarks and API-only deployments (`tsx packages/server/src/serve-api.ts`).
 */
const booted = await bootServer();
const server = createServer(getRequestListener(booted.apiApp.fetch));
server.keepAliveTimeout = 65_000;
server.listen(booted.config.port, booted.config.host, () => {
  booted.ctx.log.info("api listening", { url: `http://${booted.config.host}:${booted.config.port}` });
});
const shutdown = () => {
  server.close();
  void booted.close().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
