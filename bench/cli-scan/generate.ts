/**
 * Writes a synthetic but realistically shaped Claude Code home (≈1 GB, ≈1,000 sessions) and Codex home
 * (≈300 MB) for the scan benchmark. Line shapes follow TOOL-LOG-FORMATS.md: assistant responses split over
 * several lines sharing one usage, tool results carrying file contents, file-history snapshots, subagent
 * transcripts, Codex token_count re-emissions. Deterministic (seeded), so runs are comparable.
 * Usage: tsx bench/cli-scan/generate.ts <home> [--claude-mb 1024] [--codex-mb 300] [--sessions N] [--seed 42]
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

let seed = 42;
/** mulberry32: a tiny seeded PRNG with a full 2^32 period (plain `*` would lose bits past 2^53). */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const WORDS = [
  "const",
  "return",
  "await",
  "function",
  "import",
  "value",
  "result",
  "session",
  "token",
  "error",
  "data",
];
const text = (bytes: number) => {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = pick(WORDS);
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(random() < 0.1 ? "\n" : " ");
};
const uuid = () => "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => Math.floor(random() * 16).toString(16));

class Writer {
  private fd: number;
  private chunks: string[] = [];
  private size = 0;
  written = 0;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "w");
  }
  /** Bytes written so far, buffered ones included (the lines are ASCII). */
  get total(): number {
    return this.written + this.size;
  }
  line(record: unknown) {
    const line = `${JSON.stringify(record)}\n`;
    this.chunks.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    const data = this.chunks.join("");
    this.written += Buffer.byteLength(data);
    writeSync(this.fd, data);
    this.chunks = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const MODELS = ["claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001"];
const TOOLS = ["Read", "Edit", "Bash", "Grep", "Write", "Glob", "TodoWrite"];

/**
 * One session transcript, or with `agentId` one of its subagent transcripts
 * (`<project>/<sessionId>/subagents/agent-<id>.jsonl`: sidechain lines carrying the parent's session id).
 */
function writeClaudeSession(
  root: string,
  project: string,
  sessionId: string,
  day: number,
  targetBytes: number,
  agentId?: string,
) {
  const cwd = `/home/bench/src/${project}`;
  const folder = join(root, "projects", cwd.replaceAll("/", "-"));
  const path = agentId
    ? join(folder, sessionId, "subagents", `agent-${agentId}.jsonl`)
    : join(folder, `${sessionId}.jsonl`);
  const out = new Writer(path);
  const sidechain = agentId !== undefined;
  const envelope = {
    userType: "external",
    cwd,
    sessionId,
    version: "2.1.97",
    gitBranch: "main",
    ...(agentId ? { agentId } : {}),
  };
  let clock = Date.UTC(2026, 2, 1 + (day % 28), 8, 0, 0);
  const stamp = () => {
    clock += int(200, 9000);
    return new Date(clock).toISOString();
  };
  if (!sidechain) {
    out.line({
      type: "file-history-snapshot",
      messageId: uuid(),
      snapshot: { trackedFileBackups: { a: text(20000) } },
    });
  }
  while (out.total < targetBytes) {
    out.line({
      parentUuid: null,
      isSidechain: sidechain,
      ...envelope,
      type: "user",
      message: { role: "user", content: text(300) },
      uuid: uuid(),
      timestamp: stamp(),
    });
    for (let call = int(2, 8); call > 0; call--) {
      const messageId = `msg_01${uuid().replaceAll("-", "").slice(0, 22)}`;
      const requestId = `req_011C${uuid().replaceAll("-", "").slice(0, 20)}`;
      const usage = {
        input_tokens: int(1, 400),
        cache_creation_input_tokens: int(0, 5000),
        cache_read_input_tokens: int(10000, 90000),
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: int(20, 3000),
        service_tier: "standard",
      };
      usage.cache_creation.ephemeral_5m_input_tokens = usage.cache_creation_input_tokens;
      const model = pick(MODELS);
      const tool = pick(TOOLS);
      const toolId = `toolu_01${uuid().replaceAll("-", "").slice(0, 22)}`;
      const input =
        tool === "Edit"
          ? { file_path: `${cwd}/src/a.ts`, old_string: text(400), new_string: text(500) }
          : tool === "Write"
            ? { file_path: `${cwd}/src/b${call}.ts`, content: text(3000) }
            : { command: text(80) };
      const blocks = [
        { type: "thinking", thinking: text(1200), signature: text(300) },
        { type: "text", text: text(400) },
        { type: "tool_use", id: toolId, name: tool, input },
      ];
      for (const block of blocks) {
        out.line({
          parentUuid: uuid(),
          isSidechain: sidechain,
          ...envelope,
          message: {
            id: messageId,
            type: "message",
            role: "assistant",
            model,
            content: [block],
            stop_reason: null,
            stop_sequence: null,
            usage,
          },
          requestId,
          type: "assistant",
          uuid: uuid(),
          timestamp: stamp(),
        });
      }
      const fileText = text(int(2000, 9000));
      out.line({
        parentUuid: uuid(),
        isSidechain: sidechain,
        ...envelope,
        type: "user",
        message: { role: "user", content: [{ tool_use_id: toolId, type: "tool_result", content: fileText }] },
        uuid: uuid(),
        timestamp: stamp(),
        toolUseResult: { type: "text", file: { filePath: `${cwd}/src/a.ts`, content: fileText } },
      });
    }
  }
  out.close();
  return out.written;
}

function writeCodexSession(root: string, index: number, targetBytes: number) {
  const id = `0197f3a2-0000-7000-8000-${String(index).padStart(12, "0")}`;
  const day = 1 + (index % 28);
  const path = join(
    root,
    "sessions",
    "2026",
    "03",
    String(day).padStart(2, "0"),
    `rollout-2026-03-${String(day).padStart(2, "0")}T09-00-00-${id}.jsonl`,
  );
  const out = new Writer(path);
  let clock = Date.UTC(2026, 2, day, 9, 0, 0);
  const stamp = () => {
    clock += int(500, 20000);
    return new Date(clock).toISOString();
  };
  out.line({
    timestamp: stamp(),
    type: "session_meta",
    payload: {
      id,
      timestamp: new Date(clock).toISOString(),
      cwd: `/home/bench/src/p${index % 40}`,
      originator: "codex_cli_rs",
      cli_version: "0.140.0",
      source: "cli",
      model_provider: "openai",
      base_instructions: { text: text(8000) },
    },
  });
  const total = [0, 0, 0, 0];
  while (out.total < targetBytes) {
    out.line({
      timestamp: stamp(),
      type: "turn_context",
      payload: { cwd: "/home/bench", model: "gpt-5.2-codex", effort: "medium" },
    });
    out.line({ timestamp: stamp(), type: "event_msg", payload: { type: "user_message", message: text(200) } });
    for (let call = int(1, 6); call > 0; call--) {
      out.line({
        timestamp: stamp(),
        type: "response_item",
        payload: {
          type: "reasoning",
          summary: [{ type: "summary_text", text: text(600) }],
          encrypted_content: text(2000),
        },
      });
      out.line({
        timestamp: stamp(),
        type: "response_item",
        payload: {
          type: "function_call",
          name: "exec_command",
          arguments: JSON.stringify({ cmd: text(60) }),
          call_id: uuid(),
        },
      });
      out.line({
        timestamp: stamp(),
        type: "response_item",
        payload: { type: "function_call_output", call_id: uuid(), output: text(int(1000, 6000)) },
      });
      const last = [int(5000, 60000), 0, int(50, 2000), int(0, 500)];
      last[1] = Math.floor(last[0]! * 0.8);
      for (let i = 0; i < 4; i++) total[i]! += last[i]!;
      const usage = (u: number[]) => ({
        input_tokens: u[0],
        cached_input_tokens: u[1],
        output_tokens: u[2],
        reasoning_output_tokens: u[3],
        total_tokens: u[0]! + u[2]!,
      });
      const event = {
        type: "token_count",
        info: { total_token_usage: usage(total), last_token_usage: usage(last), model_context_window: 272000 },
        rate_limits: null,
      };
      out.line({ timestamp: stamp(), type: "event_msg", payload: event });
      if (random() < 0.5) out.line({ timestamp: stamp(), type: "event_msg", payload: event });
    }
  }
  out.close();
  return out.written;
}

function main() {
  const home = process.argv[2];
  if (!home) throw new Error("usage: generate.ts <home> [--claude-mb N] [--codex-mb N]");
  const option = (name: string, fallback: number) => {
    const index = process.argv.indexOf(name);
    return index === -1 ? fallback : Number(process.argv[index + 1]);
  };
  seed = option("--seed", 42);
  const claudeBytes = option("--claude-mb", 1024) * 1024 * 1024;
  // `--sessions 1`: one session of all the Claude bytes (the benchmark's "one new session").
  const maxSessions = option("--sessions", Number.POSITIVE_INFINITY);
  const codexBytes = option("--codex-mb", 300) * 1024 * 1024;
  let written = 0;
  let session = 0;
  while (written < claudeBytes && session < maxSessions) {
    const size = maxSessions === 1 ? claudeBytes : int(70_000, 1_800_000);
    const sessionId = uuid();
    const project = `project-${session % 60}`;
    written += writeClaudeSession(join(home, ".claude"), project, sessionId, session, size);
    // Every fourth session ran a subagent (Task tool): its transcript sits under the session's folder.
    if (session % 4 === 0) {
      const agentId = uuid().slice(0, 8);
      written += writeClaudeSession(join(home, ".claude"), project, sessionId, session, size / 6, agentId);
    }
    session++;
  }
  let codexWritten = 0;
  let rollout = 0;
  while (codexWritten < codexBytes)
    codexWritten += writeCodexSession(join(home, ".codex"), rollout++, int(200_000, 1_000_000));
  console.log(
    JSON.stringify({
      home,
      claudeSessions: session,
      claudeBytes: written,
      codexRollouts: rollout,
      codexBytes: codexWritten,
    }),
  );
}

main();
