import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Scratch folder of the bench runs (GNU time's output, the hook home, states). */
export const work = path.join(tmpdir(), "modu-bench-cli-scan");
mkdirSync(work, { recursive: true });

export interface Measure {
  wallS: number;
  userS: number;
  sysS: number;
  maxRssMiB: number;
  stdout: string;
}

/** Runs a command under GNU time (`-f` gives wall, CPU and peak RSS of the whole process). */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Measure {
  const timeFile = path.join(work, "time.txt");
  const result = spawnSync("/usr/bin/time", ["-o", timeFile, "-f", "%e %U %S %M", command, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    input,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [wall, user, sys, rss] = execFileSync("tail", ["-n", "1", timeFile], { encoding: "utf8" }).trim().split(" ");
  return {
    wallS: Number(wall),
    userS: Number(user),
    sysS: Number(sys),
    maxRssMiB: Math.round(Number(rss) / 1024),
    stdout: result.stdout,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
