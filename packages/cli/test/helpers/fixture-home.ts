import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

export function createTempHome(prefix = "modu-home-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Also removes the scheduler log the spawned binary wrote beside the home (see run-cli.ts). */
export function removeTempHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
  rmSync(`${home}-scheduler.log`, { force: true });
}

export function writeFixture(root: string, path: string, content: string): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

/** Every file and folder under `root` with its content (files) and permission bits, for byte-level comparisons. */
export function snapshotTree(root: string, skip: (path: string) => boolean = () => false): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const path = relative(root, full);
      if (skip(path)) continue;
      const stat = statSync(full);
      if (stat.isDirectory()) {
        result[`${path}/`] = `dir ${(stat.mode & 0o777).toString(8)}`;
        walk(full);
      } else result[path] = `${(stat.mode & 0o777).toString(8)} ${readFileSync(full, "utf8")}`;
    }
  };
  walk(root);
  return result;
}

/** Paths of files under `root` whose content contains `needle`. */
export function findFilesContaining(root: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (readFileSync(full).includes(needle)) found.push(relative(root, full));
    }
  };
  walk(root);
  return found;
}
