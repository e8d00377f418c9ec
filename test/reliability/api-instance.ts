import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./local-services";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = path.join(ROOT, "packages/server/src/serve-api.ts");

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports below the kernel's ephemeral range (32768+ here), so no outgoing
 * connection (to PostgreSQL, Redis, the instances) can be holding one when an instance starts to listen.
 */
export async function findFreePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const ports = Array.from({ length: count }, (_, offset) => base + offset);
    if ((await Promise.all(ports.map(isPortFree))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

export interface ApiInstance {
  url: string;
  /** Lines the process wrote to stderr (its JSON log, and any crash report). */
  log: string[];
  /** Exits nobody asked for; each one was restarted, as systemd's Restart=always would. */
  crashes: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** `serve-api.ts` as its own supervised process on a loopback port, configured by environment only. */
export function createApiInstance(port: number, env: Record<string, string>): ApiInstance {
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const crashes: string[] = [];
  let child: ChildProcess | undefined;
  let stopping = false;

  const spawnChild = () => {
    // node itself, not the tsx wrapper: a SIGKILLed wrapper would leave its server child holding the port.
    const spawned = spawn(process.execPath, ["--import", "tsx", ENTRY], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = spawned;
    spawned.stderr?.on("data", (chunk: Buffer) => {
      if (log.length < 5000) log.push(...chunk.toString().split("\n").filter(Boolean));
    });
    spawned.once("exit", (code, signal) => {
      if (stopping || child !== spawned) return;
      const reason = log.filter((line) => /Error|error:/.test(line)).slice(-3);
      crashes.push(`exit ${code ?? signal}: ${reason.join(" | ").slice(0, 400)}`);
      setTimeout(() => {
        if (!stopping && child === spawned) spawnChild();
      }, 500);
    });
    return spawned;
  };

  return {
    url,
    log,
    crashes,
    async start() {
      stopping = false;
      const spawned = spawnChild();
      await waitFor(
        async () => {
          if (spawned.exitCode !== null && child === spawned)
            throw new Error(`instance ${port} exited: ${log.slice(-5)}`);
          try {
            return (await fetch(`${url}/api/v1/status`)).ok;
          } catch {
            return false;
          }
        },
        60_000,
        `API instance on ${port}`,
      );
    },
    async kill(signal = "SIGTERM") {
      stopping = true;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill(signal);
      await exited;
    },
  };
}
