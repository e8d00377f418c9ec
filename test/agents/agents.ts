import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** One agent as the suite installs it from npm: the versions verified against our collectors. */
export interface AgentSpec {
  /** What the suite and its fixtures call it. */
  name: string;
  pkg: string;
  version: string;
  /** The executable under `node_modules/.bin`, or a path under `node_modules` for a package that links none. */
  bin: string;
}

export const AGENTS = {
  claude: { name: "claude-code", pkg: "@anthropic-ai/claude-code", version: "2.1.197", bin: "claude" },
  codex: { name: "codex", pkg: "@openai/codex", version: "0.171.0", bin: "codex" },
  gemini: { name: "gemini", pkg: "@google/gemini-cli", version: "0.61.0", bin: "gemini" },
  opencode: { name: "opencode", pkg: "opencode-ai", version: "1.18.33", bin: "opencode" },
  // Run only to capture their files as fixtures for collectors still to come.
  qwen: { name: "qwen-code", pkg: "@qwen-code/qwen-code", version: "0.15.10", bin: "qwen" },
  kilo: { name: "kilo", pkg: "@kilocode/cli", version: "7.7.7", bin: "kilo" },
  // The platform package alone: @factory/cli 0.225.x has no matching linux-x64 package on the registry.
  droid: { name: "droid", pkg: "@factory/cli-linux-x64", version: "0.225.2", bin: "@factory/cli-linux-x64/bin/droid" },
  copilot: { name: "copilot", pkg: "@github/copilot", version: "1.0.102", bin: "copilot" },
} as const satisfies Record<string, AgentSpec>;

/** Installs live outside the repository and are reused across runs. */
export function getAgentCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MODU_ARENA_AGENT_CACHE ?? join(homedir(), ".cache", "modu-arena", "agents");
}

export interface InstalledAgent {
  spec: AgentSpec;
  binPath: string;
  /** Milliseconds the install took; 0 when the cached one was reused. */
  installMs: number;
}

/** Installs `pkg@version` into its own cache folder unless it is there already. Throws with npm's output. */
export function ensureAgentInstalled(spec: AgentSpec): InstalledAgent {
  const prefix = join(getAgentCacheDir(), `${spec.pkg}@${spec.version}`);
  const binPath = join(prefix, "node_modules", ...(spec.bin.includes("/") ? [spec.bin] : [".bin", spec.bin]));
  if (existsSync(binPath)) return { spec, binPath, installMs: 0 };
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, "package.json"), '{ "private": true }\n');
  const started = performance.now();
  // Run inside the prefix: from its parent, npm would take `@scope/pkg@1.0` for the folder of that name.
  const result = spawnSync(
    "npm",
    ["install", "--prefix", prefix, "--no-audit", "--no-fund", `${spec.pkg}@${spec.version}`],
    {
      cwd: prefix,
      encoding: "utf8",
      timeout: 300_000,
    },
  );
  if (result.status !== 0 || !existsSync(binPath)) {
    throw new Error(`npm install ${spec.pkg}@${spec.version} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return { spec, binPath, installMs: performance.now() - started };
}

/** A throwaway home with a small project folder in it, where the agent runs. */
export interface AgentHome {
  root: string;
  home: string;
  project: string;
  remove(): void;
}

export function createAgentHome(name: string): AgentHome {
  const root = mkdtempSync(join(tmpdir(), `modu-agent-${name}-`));
  const home = join(root, "home");
  const project = join(home, "project");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "notes.txt"), "stub notes\n");
  writeFileSync(join(project, "todo.txt"), "stub todo\n");
  return { root, home, project, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeHomeFile(home: string, path: string, content: string): void {
  const full = join(home, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** Variables that keep every agent off the network and quiet, whatever it is. */
const QUIET_ENV = {
  NO_COLOR: "1",
  TZ: "UTC",
  CI: "1",
  DO_NOT_TRACK: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  NO_UPDATE_NOTIFIER: "1",
  npm_config_update_notifier: "false",
};

export interface AgentRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs an agent with a clean environment (only PATH from ours) in the home's project folder. */
export function runAgent(
  binPath: string,
  args: string[],
  options: { home: AgentHome; env?: Record<string, string>; timeoutMs?: number },
): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    mkdirSync(join(options.home.root, "tmp"), { recursive: true });
    const started = performance.now();
    const child = spawn(binPath, args, {
      cwd: options.home.project,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: options.home.home,
        USER: "stub",
        TMPDIR: join(options.home.root, "tmp"),
        ...QUIET_ENV,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ args, code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Throws with the agent's output when a run failed: a failed turn must not pass as "no usage". */
export function expectSuccess(run: AgentRun): AgentRun {
  if (run.code !== 0) {
    throw new Error(
      `agent exited ${run.code}: ${run.args.join(" ")}\n--- stdout\n${run.stdout.slice(-4000)}\n--- stderr\n${run.stderr.slice(-4000)}`,
    );
  }
  return run;
}
