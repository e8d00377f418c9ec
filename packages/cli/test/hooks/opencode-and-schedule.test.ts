import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getPluginFile, opencodeHook } from "../../src/hooks/opencode";
import { scheduleHook } from "../../src/hooks/schedule";
import type { HookContext } from "../../src/hooks/types";
import type { OsCommandResult } from "../../src/runtime";
import { createTempHome, removeTempHome, snapshotTree } from "../helpers/fixture-home";

type Answer = (command: string, args: string[], input?: string) => OsCommandResult;

function createContext(home: string, platform: NodeJS.Platform = "linux", answer?: Answer) {
  const calls: { command: string; args: string[]; input?: string }[] = [];
  const context: HookContext = {
    home,
    env: {},
    platform,
    self: { node: "/usr/bin/node", script: "/opt/modu-arena/dist/cli.js" },
    runOsCommand: (command, args, input) => {
      calls.push({ command, args, input });
      return answer?.(command, args, input) ?? { code: 0, stdout: "", stderr: "" };
    },
    manifest: { version: 1, files: {}, createdDirs: [] },
  };
  return { context, calls };
}

describe("OpenCode plugin", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
    mkdirSync(join(home, ".local", "share", "opencode"), { recursive: true });
  });
  afterEach(() => removeTempHome(home));

  it("writes a plugin that syncs on session.idle and removes it with the folders it created", async () => {
    const before = snapshotTree(home);
    const { context } = createContext(home);
    expect(opencodeHook.detect(context)).toBe(true);
    expect(opencodeHook.install(context).changed).toBe(true);
    const path = getPluginFile(context);
    const source = readFileSync(path, "utf8");
    expect(source).toContain('event?.type !== "session.idle"');
    expect(source).toContain('"hook","opencode"');
    // The plugin is valid JavaScript that exports an OpenCode plugin factory.
    const plugin = (await import(path)) as { ModuArena: () => Promise<{ event: (input: unknown) => Promise<void> }> };
    const hooks = await plugin.ModuArena();
    await hooks.event({ event: { type: "message.updated" } });
    expect(opencodeHook.install(context).changed).toBe(false);
    expect(opencodeHook.uninstall(context).changed).toBe(true);
    expect(snapshotTree(home)).toEqual(before);
  });

  it("never overwrites a plugin file that is not ours", () => {
    const { context } = createContext(home);
    const path = getPluginFile(context);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, "export const Mine = 1;\n");
    expect(opencodeHook.install(context).changed).toBe(false);
    opencodeHook.uninstall(context);
    expect(readFileSync(path, "utf8")).toBe("export const Mine = 1;\n");
  });
});

describe("user-level schedule (Crush, Claude Desktop)", () => {
  let home: string;
  beforeEach(() => {
    home = createTempHome();
    mkdirSync(join(home, ".local", "share", "crush"), { recursive: true });
  });
  afterEach(() => removeTempHome(home));

  it("Linux with systemd: unit files, enable --now, and a clean removal", () => {
    const before = snapshotTree(home);
    const { context, calls } = createContext(home, "linux");
    expect(scheduleHook.detect(context)).toBe(true);
    scheduleHook.install(context);
    const dir = join(home, ".config", "systemd", "user");
    expect(readFileSync(join(dir, "modu-arena-sync.service"), "utf8")).toContain(
      'ExecStart="/usr/bin/node" "/opt/modu-arena/dist/cli.js" "sync" "--from-schedule"',
    );
    expect(readFileSync(join(dir, "modu-arena-sync.timer"), "utf8")).toContain("OnUnitActiveSec=15min");
    expect(calls.map((call) => call.args.join(" "))).toContain("--user enable --now modu-arena-sync.timer");
    expect(scheduleHook.install(context).changed).toBe(false);
    // What `systemctl enable` does on its own: a wants folder with a link.
    mkdirSync(join(dir, "timers.target.wants"));
    scheduleHook.uninstall(context);
    expect(calls.map((call) => call.args.join(" "))).toContain("--user disable --now modu-arena-sync.timer");
    expect(existsSync(join(dir, "timers.target.wants"))).toBe(false);
    expect(snapshotTree(home)).toEqual(before);
  });

  it("replaces a schedule made for another CLI (an npx cache cleared), and keeps one made for this one", () => {
    const before = snapshotTree(home);
    const { context, calls } = createContext(home, "linux");
    const service = join(home, ".config", "systemd", "user", "modu-arena-sync.service");
    context.manifest.hooksRun = { node: "/usr/bin/node", script: "/old/npx/cache/cli.js" };
    scheduleHook.install(context);
    context.manifest.hooksRun = { ...context.self };
    expect(scheduleHook.install(context).changed).toBe(false);
    context.manifest.hooksRun = { node: "/usr/bin/node", script: "/old/npx/cache/cli.js" };
    const moved = { ...context, self: { node: "/usr/bin/node", script: "/new/cli.js" } };
    expect(scheduleHook.install(moved).changed).toBe(true);
    expect(readFileSync(service, "utf8")).toContain('"/usr/bin/node" "/new/cli.js" "sync"');
    const commands = calls.map((call) => call.args.join(" "));
    expect(commands.filter((args) => args === "--user disable --now modu-arena-sync.timer")).toHaveLength(1);
    expect(commands.filter((args) => args === "--user enable --now modu-arena-sync.timer")).toHaveLength(2);
    scheduleHook.uninstall(moved);
    expect(snapshotTree(home)).toEqual(before);
  });

  it("Linux without systemd: appends to the crontab and restores it exactly", () => {
    let crontab = "MAILTO=ana\n0 3 * * * backup.sh\n";
    const answer: Answer = (command, args, input) => {
      if (command === "systemctl") return { code: 1, stdout: "", stderr: "Failed to connect to bus" };
      if (args[0] === "-l") return { code: 0, stdout: crontab, stderr: "" };
      if (args[0] === "-") crontab = input ?? "";
      return { code: 0, stdout: "", stderr: "" };
    };
    const { context } = createContext(home, "linux", answer);
    scheduleHook.install(context);
    expect(crontab).toMatch(
      /^MAILTO=ana\n0 3 \* \* \* backup\.sh\n\*\/15 \* \* \* \* \/usr\/bin\/node .* sync --from-schedule .*# modu-arena-sync\n$/,
    );
    scheduleHook.uninstall(context);
    expect(crontab).toBe("MAILTO=ana\n0 3 * * * backup.sh\n");
  });

  it("Linux without systemd and without a crontab: removes the crontab it created", () => {
    const { context, calls } = createContext(home, "linux", (command, args) =>
      command === "systemctl" || args[0] === "-l"
        ? { code: 1, stdout: "", stderr: "no crontab for ana" }
        : { code: 0, stdout: "", stderr: "" },
    );
    scheduleHook.install(context);
    expect(context.manifest.schedule).toEqual({ kind: "cron", files: [], hadCrontab: false });
    context.runOsCommand = (command, args, input) => {
      calls.push({ command, args, input });
      return args[0] === "-l"
        ? { code: 0, stdout: calls.find((call) => call.args[0] === "-")?.input ?? "", stderr: "" }
        : { code: 0, stdout: "", stderr: "" };
    };
    scheduleHook.uninstall(context);
    expect(calls.at(-1)).toMatchObject({ command: "crontab", args: ["-r"] });
  });

  it("macOS: a LaunchAgent plist, bootstrapped and booted out", () => {
    const before = snapshotTree(home);
    const { context, calls } = createContext(home, "darwin");
    scheduleHook.install(context);
    const plist = join(home, "Library", "LaunchAgents", "dev.modu-arena.sync.plist");
    expect(readFileSync(plist, "utf8")).toContain("<integer>900</integer>");
    expect(calls[0]?.command).toBe("launchctl");
    expect(calls[0]?.args[0]).toBe("bootstrap");
    scheduleHook.uninstall(context);
    expect(calls.at(-1)?.args[0]).toBe("bootout");
    expect(snapshotTree(home)).toEqual(before);
  });

  it("Windows: a Task Scheduler task, created and deleted", () => {
    const { context, calls } = createContext(home, "win32");
    scheduleHook.install(context);
    expect(calls[0]).toMatchObject({
      command: "schtasks",
      args: expect.arrayContaining(["/Create", "/TN", "modu-arena-sync"]),
    });
    expect(calls[0]?.args.at(-1)).toBe('"/usr/bin/node" "/opt/modu-arena/dist/cli.js" "sync" "--from-schedule"');
    scheduleHook.uninstall(context);
    expect(calls.at(-1)).toMatchObject({ command: "schtasks", args: ["/Delete", "/F", "/TN", "modu-arena-sync"] });
  });

  it("a failing OS call is reported with its reason", () => {
    const { context } = createContext(home, "win32", () => ({
      code: 1,
      stdout: "",
      stderr: "ERROR: Access is denied.\n",
    }));
    expect(() => scheduleHook.install(context)).toThrow(/Access is denied/);
    expect(context.manifest.schedule).toBeUndefined();
  });
});
