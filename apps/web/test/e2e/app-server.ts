import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface AppServer {
  url: string;
  cronSecret: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * The real built app (apps/web/server.ts) on a free port with a fresh DATA_DIR and the demo data; `env` adds
 * to its environment (given the port, for addresses like PUBLIC_URL).
 */
export async function startAppServer(
  options: { env?: (port: number) => Record<string, string> } = {},
): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "modu-e2e-"));
  const port = await freePort();
  const cronSecret = randomBytes(24).toString("hex");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "apps/web/server.ts")], {
    cwd: root,
    env: {
      ...process.env,
      // The app's own environment: "test" keeps the dev outbox readable; Next itself runs in production mode.
      NODE_ENV: "test",
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      CRON_SECRET: cronSecret,
      JWT_SECRET: randomBytes(32).toString("hex"),
      LOG_LEVEL: "warn",
      RANKING_INTERVAL_SECONDS: "0",
      ...options.env?.(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/v1/status`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (Date.now() >= deadline) throw new Error(`server did not start:\n${output}`);
  return {
    url,
    cronSecret,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
