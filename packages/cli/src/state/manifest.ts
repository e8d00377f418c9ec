import { readJsonIfValid, writeJsonAtomic } from "./atomic-file";
import type { StatePaths } from "./paths";

/** What install changed, so that uninstall undoes exactly that and nothing else. */
export interface FileRecord {
  /** The file did not exist before install: uninstall deletes it once our part is gone. */
  created: boolean;
  /** Text we spliced in (JSON settings), removed verbatim on uninstall. */
  snippets: string[];
  /** Codex: the user's own `notify = …` text we replaced, or null when there was none. */
  replaced?: string | null;
  /** Codex: the exact text we wrote in its place. */
  written?: string;
}

export interface ScheduleRecord {
  kind: "systemd" | "cron" | "launchd" | "schtasks";
  files: string[];
  /** cron: whether the user had a crontab before, so that an emptied one is removed, not left blank. */
  hadCrontab?: boolean;
}

/** The Node and CLI script that installed hooks and schedules run (absolute paths). */
export interface HooksRun {
  node: string;
  script: string;
}

export interface InstallManifest {
  version: 1;
  files: Record<string, FileRecord>;
  /** Folders we created, innermost last; removed on uninstall if empty. */
  createdDirs: string[];
  schedule?: ScheduleRecord;
  hooksRun?: HooksRun;
}

function isHooksRun(value: unknown): value is HooksRun {
  const run = value as HooksRun | undefined;
  return typeof run?.node === "string" && typeof run.script === "string";
}

export function loadManifest(paths: StatePaths): InstallManifest {
  const value = readJsonIfValid(paths.manifest) as Partial<InstallManifest> | undefined;
  return {
    version: 1,
    files: value?.files ?? {},
    createdDirs: value?.createdDirs ?? [],
    schedule: value?.schedule,
    ...(isHooksRun(value?.hooksRun) ? { hooksRun: value.hooksRun } : {}),
  };
}

export function saveManifest(paths: StatePaths, manifest: InstallManifest): void {
  writeJsonAtomic(paths.manifest, manifest);
}
