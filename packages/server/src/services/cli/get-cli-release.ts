import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { getCliTarballName, isCliVersion } from "@modu-arena/core/cli-release";
import type { AppContext } from "../../context";

/** The packed CLI this server hands out. */
export interface CliRelease {
  version: string;
  /** modu-arena-cli-<version>.tgz */
  file: string;
  /** npm's `integrity` of `bytes`: "sha512-" + base64. */
  integrity: string;
  bytes: Buffer;
}

let cached: { key: string; release: CliRelease } | undefined;

function getSha512Integrity(bytes: Buffer): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/**
 * The tarball named by `<cliPackageDir>/latest.json` (written by packages/cli/pack.mjs), or null when none is
 * packed. The integrity is computed from the bytes served, never copied from a file; both are kept until
 * either file changes (a new pack while the server runs is picked up).
 */
export function getCliRelease(ctx: Pick<AppContext, "config">): CliRelease | null {
  const dir = ctx.config.cliPackageDir;
  const latestPath = path.join(dir, "latest.json");
  try {
    const latestStat = statSync(latestPath);
    const latest = JSON.parse(readFileSync(latestPath, "utf8")) as { version?: unknown };
    if (typeof latest.version !== "string" || !isCliVersion(latest.version)) return null;
    const file = getCliTarballName(latest.version);
    const tarballStat = statSync(path.join(dir, file));
    const key = `${dir}|${latestStat.mtimeMs}|${file}|${tarballStat.mtimeMs}|${tarballStat.size}`;
    if (cached?.key === key) return cached.release;
    const bytes = readFileSync(path.join(dir, file));
    const release = { version: latest.version, file, integrity: getSha512Integrity(bytes), bytes };
    cached = { key, release };
    return release;
  } catch {
    return null;
  }
}
