import { chmodSync, mkdirSync } from "node:fs";
// The zod-free entries: the scan path (and its worker) loads this module.
import { API_KEY_PATTERN } from "@modu-arena/core/api-key";
import { TOOL_TYPES } from "@modu-arena/core/tools";
import { z } from "zod";
import { CliError, EXIT } from "../errors";
import { readTextIfExists, writeJsonAtomic } from "./atomic-file";
import { getStatePaths } from "./paths";

export const DEFAULT_SERVER_URL = "http://localhost:3000";

export const configSchema = z.object({
  version: z.literal(1),
  apiKey: z.string().regex(API_KEY_PATTERN, "not a modu-arena API key"),
  serverUrl: z.url(),
  tools: z.array(z.enum(TOOL_TYPES)),
  username: z.string().optional(),
  /** Salt of `anonymousProjectId`: project paths never leave the machine, not even as a bare hash. */
  projectSalt: z.string().min(16),
  installedAt: z.string(),
});
export type Config = z.infer<typeof configSchema>;

export function loadConfig(home: string): Config | undefined {
  const path = getStatePaths(home).config;
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON`, { hint: "run `modu-arena install --api-key <key>` again" });
  }
  const result = configSchema.safeParse(parsed);
  if (!result.success) {
    throw new CliError(`${path} is invalid: ${result.error.issues[0]?.message ?? "unknown field"}`, {
      hint: "run `modu-arena install --api-key <key>` again",
    });
  }
  return result.data;
}

export function requireConfig(home: string): Config {
  const config = loadConfig(home);
  if (!config) {
    throw new CliError("modu-arena is not installed", {
      exitCode: EXIT.notConfigured,
      hint: "run `modu-arena install --api-key <key>` first",
    });
  }
  return config;
}

/** The folder is 0700 and the file 0600: the key must not be readable by other users. */
export function saveConfig(home: string, config: Config): void {
  const paths = getStatePaths(home);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  writeJsonAtomic(paths.config, configSchema.parse(config), 0o600);
  chmodSync(paths.config, 0o600);
}

/** `MODU_ARENA_API_URL` wins over the saved server, which wins over the default; no trailing slash. */
export function resolveServerUrl(env: Record<string, string | undefined>, config?: Pick<Config, "serverUrl">): string {
  const url = env.MODU_ARENA_API_URL || config?.serverUrl || DEFAULT_SERVER_URL;
  return url.replace(/\/+$/, "");
}
