import { isToolType, TOOL_TYPES, type ToolType } from "@modu-arena/core/tools";
import { type ApiClient, createApiClient } from "../api/client";
import type { CollectEnvironment, Collector } from "../collectors/index";
import { CliError, EXIT } from "../errors";
import type { HookContext } from "../hooks/types";
import type { Output } from "../output/output";
import type { Runtime } from "../runtime";
import { type Config, resolveServerUrl } from "../state/config";
import type { InstallManifest } from "../state/manifest";

/** What every command gets: the runtime, where to print, and the collectors (injectable in tests). */
export interface CommandDeps {
  runtime: Runtime;
  output: Output;
  collectors: Collector[];
}

export function getCollectEnvironment(
  runtime: Runtime,
  options: Pick<CollectEnvironment, "projectSalt" | "skipRecords" | "changedFiles"> = {},
): CollectEnvironment {
  const environment: CollectEnvironment = {
    home: runtime.home,
    env: runtime.env,
    platform: runtime.platform,
    now: runtime.now(),
    ...options,
  };
  // `MODU_ARENA_SCAN_THREADS=0` keeps a big scan on one thread (else chosen from the bytes to read).
  const threads = Number.parseInt(runtime.env.MODU_ARENA_SCAN_THREADS ?? "", 10);
  if (Number.isInteger(threads) && threads >= 0) environment.scanThreads = threads;
  return environment;
}

export function createClient(runtime: Runtime, config: Pick<Config, "apiKey" | "serverUrl">): ApiClient {
  return createApiClient({
    serverUrl: resolveServerUrl(runtime.env, config),
    apiKey: config.apiKey,
    fetch: runtime.fetch,
    now: runtime.now,
  });
}

export function getHookContext(runtime: Runtime, manifest: InstallManifest): HookContext {
  return {
    home: runtime.home,
    env: runtime.env,
    platform: runtime.platform,
    self: runtime.self,
    runOsCommand: runtime.runOsCommand,
    manifest,
  };
}

/** `--tools a,b` → validated tool ids. */
export function parseToolList(value: string): ToolType[] {
  const tools = value
    .split(",")
    .map((tool) => tool.trim())
    .filter(Boolean);
  const unknown = tools.filter((tool) => !isToolType(tool));
  if (unknown.length > 0 || tools.length === 0) {
    throw new CliError(`unknown tool: ${unknown.join(", ") || "(empty)"}`, {
      exitCode: EXIT.usage,
      hint: `choose among ${TOOL_TYPES.join(", ")}`,
    });
  }
  return [...new Set(tools)] as ToolType[];
}

export function parseTool(value: string): ToolType {
  const [tool] = parseToolList(value);
  return tool!;
}

export function findCollectors(deps: CommandDeps, tools: readonly ToolType[]): Collector[] {
  return deps.collectors.filter((collector) => tools.includes(collector.tool));
}

/** Detection and "is installed" checks must not fail a whole command over one odd file. */
export function isTrueWithoutError(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
