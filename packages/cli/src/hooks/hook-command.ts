import { existsSync, mkdirSync, rmdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { SelfCommand } from "../runtime";
import type { InstallManifest } from "../state/manifest";

/** POSIX shells get single quotes (nothing expands inside); Windows cmd gets double quotes. */
export function quoteArgument(value: string, platform: NodeJS.Platform): string {
  if (platform === "win32") return `"${value.replace(/"/g, '""')}"`;
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell command a tool runs after a turn: `node <cli.js> hook <tool>`, absolute paths so PATH does not
 * matter. On POSIX, `sh` puts it in the background and returns, so the tool waits for a shell start (a few
 * ms), not a Node start (100–200 ms on slow machines). The background process keeps the tool's stdin
 * (saved on fd 3: a background job's own stdin is /dev/null) and drains it, so the tool never writes into
 * a closed pipe; its output goes nowhere, since the tool would wait for an open stdout. `/bin/sh -c` names
 * the shell, whichever one the tool runs commands with. cmd.exe runs it in the foreground.
 */
export function buildHookCommand(self: SelfCommand, platform: NodeJS.Platform, args: string[]): string {
  const command = [self.node, self.script, ...args].map((part) => quoteArgument(part, platform)).join(" ");
  if (platform === "win32") return command;
  return `/bin/sh -c ${quoteArgument(`exec 3<&0; ${command} <&3 3<&- >/dev/null 2>&1 &`, platform)}`;
}

/** Our entries are recognised by the `hook <tool>` subcommand (quoted on Windows) run by a modu-arena script. */
export function isOurCommand(command: string, tool: string): boolean {
  return new RegExp(`\\s"?hook"?\\s+"?${tool}"?(\\s|$)`).test(command) && /modu-arena|cli\.m?js/.test(command);
}

/** Creates missing folders and remembers them, so that uninstall can remove them again. */
export function ensureDirectory(path: string, manifest: InstallManifest): void {
  const missing: string[] = [];
  for (let current = path; !existsSync(current); current = dirname(current)) missing.unshift(current);
  if (missing.length === 0) return;
  mkdirSync(path, { recursive: true });
  for (const dir of missing) if (!manifest.createdDirs.includes(dir)) manifest.createdDirs.push(dir);
}

/** Removes the folders install created, innermost first, as long as they are empty. */
export function removeCreatedDirectories(manifest: InstallManifest): void {
  for (const dir of [...manifest.createdDirs].sort((a, b) => b.length - a.length)) {
    try {
      if (statSync(dir).isDirectory()) rmdirSync(dir);
      manifest.createdDirs = manifest.createdDirs.filter((known) => known !== dir);
    } catch {
      // Not empty (the user put something there) or already gone: leave it.
    }
  }
}
