import { chmodSync, mkdirSync } from "node:fs";
// The zod-free entries: the scan path (and its worker) loads this module.
import { API_KEY_PATTERN } from "@modu-arena/core/api-key";
import { isToolType, type ToolType } from "@modu-arena/core/tools";
import { CliError, EXIT } from "../errors";
import { readTextIfExists, writeJsonAtomic } from "./atomic-file";
import { getStatePaths } from "./paths";

export const DEFAULT_SERVER_URL = "http://localhost:3000";

export interface Config {
  version: 1;
  apiKey: string;
  serverUrl: string;
  tools: ToolType[];
  username?: string;
  /** Salt of `anonymousProjectId`: project paths never leave the machine, not even as a bare hash. */
  projectSalt: string;
  installedAt: string;
}

/** Why a config is refused: the field, and what is wrong with it. */
interface ConfigProblem {
  field: string;
  problem: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The config's shape, checked by hand rather than with zod: this module is on every command's start-up
 * path, and zod there (its mini build too, as the CLI's chunks are split) cost 30–65 ms per command.
 * Returns the config with only its known fields, or the first problem.
 */
export function checkConfig(value: unknown): Config | ConfigProblem {
  if (!isRecord(value)) return { field: "config", problem: "expected an object" };
  const { version, apiKey, serverUrl, tools, username, projectSalt, installedAt } = value;
  if (version !== 1) return { field: "version", problem: "expected 1" };
  if (typeof apiKey !== "string" || !API_KEY_PATTERN.test(apiKey)) {
    return { field: "apiKey", problem: "not a modu-arena API key" };
  }
  if (typeof serverUrl !== "string" || !URL.canParse(serverUrl)) return { field: "serverUrl", problem: "not a URL" };
  if (!Array.isArray(tools) || !tools.every(isToolType)) {
    return { field: "tools", problem: "expected a list of tool names" };
  }
  if (username !== undefined && typeof username !== "string") return { field: "username", problem: "expected text" };
  if (typeof projectSalt !== "string" || projectSalt.length < 16) {
    return { field: "projectSalt", problem: "expected at least 16 characters" };
  }
  if (typeof installedAt !== "string") return { field: "installedAt", problem: "expected text" };
  return {
    version,
    apiKey,
    serverUrl,
    tools,
    ...(username === undefined ? {} : { username }),
    projectSalt,
    installedAt,
  };
}

const isProblem = (checked: Config | ConfigProblem): checked is ConfigProblem => "problem" in checked;

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
  const checked = checkConfig(parsed);
  if (isProblem(checked)) {
    throw new CliError(`${path} is invalid: ${checked.field}: ${checked.problem}`, {
      hint: "run `modu-arena install --api-key <key>` again",
    });
  }
  return checked;
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
  const checked = checkConfig(config);
  if (isProblem(checked))
    throw new CliError(`refusing to save an invalid config: ${checked.field}: ${checked.problem}`);
  writeJsonAtomic(paths.config, checked, 0o600);
  chmodSync(paths.config, 0o600);
}

/** An http(s) URL without its trailing slashes; `source` names where it came from, for the error. */
export function parseServerUrl(value: string, source: string): string {
  let protocol = "";
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Not a URL at all: refused below.
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new CliError(`${source} must be an http:// or https:// URL, not "${value}"`, {
      exitCode: EXIT.usage,
      hint: "for example https://modu-arena.example.com or http://localhost:3000",
    });
  }
  return value.replace(/\/+$/, "");
}

/** `MODU_ARENA_API_URL` wins over the saved server, which wins over the default; no trailing slash. */
export function resolveServerUrl(env: Record<string, string | undefined>, config?: Pick<Config, "serverUrl">): string {
  if (env.MODU_ARENA_API_URL) return parseServerUrl(env.MODU_ARENA_API_URL, "MODU_ARENA_API_URL");
  return (config?.serverUrl || DEFAULT_SERVER_URL).replace(/\/+$/, "");
}
