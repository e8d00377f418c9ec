import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI_PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI_BINARY = join(CLI_PACKAGE, "dist", "cli.js");

function getNewestSourceTime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const stat = statSync(full);
    newest = Math.max(newest, stat.isDirectory() ? getNewestSourceTime(full) : stat.mtimeMs);
  }
  return newest;
}

function isBuildCurrent(): boolean {
  if (!existsSync(CLI_BINARY)) return false;
  const sources = Math.max(
    getNewestSourceTime(join(CLI_PACKAGE, "src")),
    statSync(join(CLI_PACKAGE, "build.mjs")).mtimeMs,
  );
  return statSync(CLI_BINARY).mtimeMs >= sources;
}

/**
 * Builds dist/cli.js unless it is newer than every source file. Test files run in parallel processes,
 * so a folder lock (mkdir is atomic) keeps two builds from writing dist/ at once.
 */
export function ensureCliBuilt(): void {
  if (isBuildCurrent()) return;
  const lock = join(CLI_PACKAGE, ".build-lock");
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A build killed mid-way leaves its lock behind; no build takes two minutes.
      const lockTime = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockTime > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not take ${lock}; remove it if no build is running`);
      execFileSync(process.execPath, ["-e", "setTimeout(() => {}, 100)"]);
    }
  }
  try {
    if (!isBuildCurrent()) execFileSync(process.execPath, [join(CLI_PACKAGE, "build.mjs")], { stdio: "inherit" });
  } finally {
    rmdirSync(lock);
  }
}
