import type { ToolType } from "@modu-arena/core";
import type { RunOsCommand, SelfCommand } from "../runtime";
import type { InstallManifest } from "../state/manifest";

export interface HookContext {
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  self: SelfCommand;
  runOsCommand: RunOsCommand;
  /** Mutated by install/uninstall; the caller saves it after each hook. */
  manifest: InstallManifest;
}

export interface HookChange {
  changed: boolean;
  /** One line for the user: what was done, and where. */
  message: string;
}

/** One way of getting `modu-arena sync` called after a tool's sessions: a hook, a plugin, or a schedule. */
export interface ToolHook {
  id: string;
  label: string;
  tools: ToolType[];
  /** The tool is present on this machine (its config or data folder exists). */
  detect(context: HookContext): boolean;
  isInstalled(context: HookContext): boolean;
  install(context: HookContext): HookChange;
  uninstall(context: HookContext): HookChange;
}
