import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { DatabaseInUseError } from "@modu-arena/db";
import { bootServer } from "@modu-arena/server";
import next from "next";
import { isDecodablePath } from "./src/lib/url-guards";

/**
 * THE entry: one node:http server, one port. `/api/*` and `/cli/*` (the CLI tarball this server hands out) go
 * to the Hono app, everything else to Next.
 * Pages reach the same AppContext through globalThis (see src/server/context.ts), with no HTTP hop.
 */
const dev = process.argv.includes("--dev");
const dir = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  // Next decides React's build from NODE_ENV; the app's own environment stays as configured.
  const appEnv = process.env.NODE_ENV;
  (process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
  const booted = await bootServer({
    env: { ...process.env, NODE_ENV: appEnv ?? (dev ? "development" : "production") },
  });
  const { config, ctx, apiApp } = booted;
  globalThis.__moduArena = { ctx, config };

  // Next's dev compiler resolves next.config's relative paths (next-intl's request config) from the cwd;
  // the app's own paths (DATA_DIR) were resolved above, during boot.
  if (dev) process.chdir(dir);
  const nextApp = next({ dev, dir, hostname: config.host, port: config.port });
  const handleNext = nextApp.getRequestHandler();
  await nextApp.prepare();
  const handleApi = getRequestListener(apiApp.fetch);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    if (url === "/api" || url.startsWith("/api/") || url.startsWith("/api?") || url.startsWith("/cli/")) {
      void handleApi(req, res);
      return;
    }
    // Malformed percent-encoding would make Next throw (a 500): no page has such a path.
    if (!isDecodablePath(url.split("?")[0]!)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
      return;
    }
    handleNext(req, res).catch((error: unknown) => {
      ctx.log.error("page request failed", { url, error: String(error) });
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  ctx.log.info(`Modu-Arena listening on http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`, {
    mode: dev ? "development" : "production",
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info(`${signal}: shutting down`);
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    server.close();
    server.closeIdleConnections();
    await nextApp.close().catch(() => undefined);
    await booted.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  // A known refusal is one line; anything else keeps its stack.
  if (error instanceof DatabaseInUseError) console.error(`error: ${error.message}`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
