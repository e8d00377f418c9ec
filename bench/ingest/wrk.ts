import { execFileSync } from "node:child_process";
import path from "node:path";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
  /** Requests past the end of the pre-signed list (sent again, so answered as duplicates). */
  reused: number;
}

const SIGNED_SCRIPT = path.join(import.meta.dirname, "wrk-signed.lua");
const PLAIN_SCRIPT = path.join(import.meta.dirname, "wrk-plain.lua");

export function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk prints its version and exits 1.
    return (error as { status?: number }).status === 1;
  }
}

/**
 * Drives the server from wrk, a separate C process: the load generator costs a fraction of what an
 * in-process Node client does, which matters when server, database and load share two cores.
 */
export function runWrk(options: {
  url: string;
  connections: number;
  seconds: number;
  requestFile?: string;
  threads?: number;
  /** With a request file: mean of the random (exponential) gap between one connection's requests. */
  meanGapMs?: number;
}): LoadResult {
  const threads = options.threads ?? 2;
  const scriptArgs = options.requestFile
    ? [
        "-s",
        SIGNED_SCRIPT,
        options.url,
        "--",
        options.requestFile,
        String(threads),
        ...(options.meanGapMs ? [String(options.meanGapMs)] : []),
      ]
    : ["-s", PLAIN_SCRIPT, options.url];
  const output = execFileSync(
    "wrk",
    [
      "-t",
      String(threads),
      "-c",
      String(options.connections),
      "-d",
      `${options.seconds}s`,
      "--timeout",
      "10s",
      ...scriptArgs,
    ],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  const line = output.split("\n").find((text) => text.startsWith("WRK_RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${output}`);
  const raw = JSON.parse(line.slice("WRK_RESULT ".length)) as Record<string, number>;
  const seconds = raw.durationUs! / 1e6;
  return {
    requestsPerSecond: raw.requests! / seconds,
    p50Ms: raw.p50Us! / 1000,
    p90Ms: raw.p90Us! / 1000,
    p99Ms: raw.p99Us! / 1000,
    non2xx: raw.non2xx!,
    errors: raw.socketErrors!,
    total: raw.requests!,
    reused: raw.reused ?? 0,
  };
}
