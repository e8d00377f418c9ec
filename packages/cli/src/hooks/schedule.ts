import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ToolType } from "@modu-arena/core";
import { CliError } from "../errors";
import { writeFileAtomic } from "../state/atomic-file";
import type { ScheduleRecord } from "../state/manifest";
import { ensureDirectory, removeCreatedDirectories } from "./hook-command";
import {
  CRON_MARKER,
  LAUNCHD_LABEL,
  renderCronLine,
  renderLaunchdPlist,
  renderSystemdService,
  renderSystemdTimer,
  renderWindowsTaskCommand,
  SCHEDULE_NAME,
} from "./schedule-files";
import type { HookChange, HookContext, ToolHook } from "./types";

/** Crush and Claude Desktop have no end-of-session event: a user-level timer runs the sync instead. */
function run(context: HookContext, command: string, args: string[], input?: string): string {
  const result = context.runOsCommand(command, args, input);
  if (result.code !== 0) {
    const reason = result.stderr.trim().split("\n")[0] || `exit code ${result.code}`;
    throw new CliError(`\`${command} ${args.join(" ")}\` failed: ${reason}`, {
      hint: "run `modu-arena sync` by hand meanwhile",
    });
  }
  return result.stdout;
}

function getSystemdDir(context: HookContext): string {
  return join(context.env.XDG_CONFIG_HOME || join(context.home, ".config"), "systemd", "user");
}

function getPlistFile(context: HookContext): string {
  return join(context.home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
}

function getUserId(): number {
  return process.getuid?.() ?? 0;
}

function installSchedule(context: HookContext): ScheduleRecord {
  if (context.platform === "win32") {
    run(context, "schtasks", [
      "/Create",
      "/F",
      "/SC",
      "MINUTE",
      "/MO",
      "15",
      "/TN",
      SCHEDULE_NAME,
      "/TR",
      renderWindowsTaskCommand(context.self),
    ]);
    return { kind: "schtasks", files: [] };
  }
  if (context.platform === "darwin") {
    const plist = getPlistFile(context);
    ensureDirectory(join(plist, ".."), context.manifest);
    writeFileAtomic(plist, renderLaunchdPlist(context.self), 0o644);
    run(context, "launchctl", ["bootstrap", `gui/${getUserId()}`, plist]);
    return { kind: "launchd", files: [plist] };
  }
  if (context.runOsCommand("systemctl", ["--user", "show-environment"]).code === 0) {
    const dir = getSystemdDir(context);
    ensureDirectory(dir, context.manifest);
    // `enable` creates this folder when missing; remember it so that uninstall leaves no trace.
    const wants = join(dir, "timers.target.wants");
    if (!existsSync(wants) && !context.manifest.createdDirs.includes(wants)) context.manifest.createdDirs.push(wants);
    const service = join(dir, `${SCHEDULE_NAME}.service`);
    const timer = join(dir, `${SCHEDULE_NAME}.timer`);
    writeFileAtomic(service, renderSystemdService(context.self), 0o644);
    writeFileAtomic(timer, renderSystemdTimer(), 0o644);
    run(context, "systemctl", ["--user", "daemon-reload"]);
    run(context, "systemctl", ["--user", "enable", "--now", `${SCHEDULE_NAME}.timer`]);
    return { kind: "systemd", files: [service, timer] };
  }
  const listed = context.runOsCommand("crontab", ["-l"]);
  const existing = listed.code === 0 ? listed.stdout : "";
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  run(context, "crontab", ["-"], `${existing}${separator}${renderCronLine(context.self)}\n`);
  return { kind: "cron", files: [], hadCrontab: listed.code === 0 };
}

function uninstallSchedule(context: HookContext, record: ScheduleRecord): void {
  switch (record.kind) {
    case "schtasks":
      run(context, "schtasks", ["/Delete", "/F", "/TN", SCHEDULE_NAME]);
      break;
    case "launchd":
      context.runOsCommand("launchctl", ["bootout", `gui/${getUserId()}`, getPlistFile(context)]);
      break;
    case "systemd":
      context.runOsCommand("systemctl", ["--user", "disable", "--now", `${SCHEDULE_NAME}.timer`]);
      break;
    case "cron": {
      const listed = context.runOsCommand("crontab", ["-l"]);
      if (listed.code !== 0) break;
      const kept = listed.stdout
        .split("\n")
        .filter((line) => !line.includes(CRON_MARKER))
        .join("\n");
      if (kept.trim() === "" && !record.hadCrontab) run(context, "crontab", ["-r"]);
      else run(context, "crontab", ["-"], kept);
      break;
    }
    default: {
      const unknown: never = record.kind;
      throw new Error(`unknown schedule kind ${String(unknown)}`);
    }
  }
  for (const file of record.files) rmSync(file, { force: true });
  if (record.kind === "systemd") context.runOsCommand("systemctl", ["--user", "daemon-reload"]);
  removeCreatedDirectories(context.manifest);
}

function detectCrush(context: HookContext): boolean {
  const data =
    context.env.CRUSH_GLOBAL_DATA || join(context.env.XDG_DATA_HOME || join(context.home, ".local", "share"), "crush");
  return existsSync(data) || existsSync(join(context.home, ".config", "crush"));
}

function detectClaudeDesktop(context: HookContext): boolean {
  if (context.platform === "darwin") return existsSync(join(context.home, "Library", "Application Support", "Claude"));
  if (context.platform === "win32")
    return existsSync(join(context.env.APPDATA || join(context.home, "AppData", "Roaming"), "Claude"));
  return existsSync(join(context.env.XDG_CONFIG_HOME || join(context.home, ".config"), "Claude"));
}

/** Which of the scheduled tools are on this machine (their data folders, even before a first session). */
export function detectScheduledTools(context: HookContext): ToolType[] {
  return [
    ...(detectCrush(context) ? (["crush"] as const) : []),
    ...(detectClaudeDesktop(context) ? (["claude-desktop"] as const) : []),
  ];
}

/** True when the installed schedule was made by another Node or CLI script than the one running now. */
function runsAnotherCli(context: HookContext): boolean {
  const run = context.manifest.hooksRun;
  return run !== undefined && (run.node !== context.self.node || run.script !== context.self.script);
}

export const scheduleHook: ToolHook = {
  id: "schedule",
  label: "Schedule (Crush, Claude Desktop)",
  tools: ["crush", "claude-desktop"],
  detect: (context) => detectScheduledTools(context).length > 0,
  isInstalled: (context) => context.manifest.schedule !== undefined,
  install: (context): HookChange => {
    const installed = context.manifest.schedule;
    if (installed && !runsAnotherCli(context)) {
      return { changed: false, message: `Schedule: already installed (${installed.kind})` };
    }
    // A schedule made for a CLI since moved (an npx cache cleared, say) is replaced, not kept beside.
    if (installed) uninstallSchedule(context, installed);
    context.manifest.schedule = installSchedule(context);
    return { changed: true, message: `Schedule: sync every 15 minutes (${context.manifest.schedule.kind})` };
  },
  uninstall: (context): HookChange => {
    const record = context.manifest.schedule;
    if (!record) return { changed: false, message: "Schedule: none installed" };
    uninstallSchedule(context, record);
    context.manifest.schedule = undefined;
    return { changed: true, message: `Schedule: removed (${record.kind})` };
  },
};
