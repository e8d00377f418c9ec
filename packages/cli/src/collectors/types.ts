import type { SessionInput, ToolType } from "@modu-arena/core";

/**
 * Where a collector looks: the user's home and environment (tests point these at fixture homes).
 * Collectors never read `process.env` or `os.homedir()` themselves.
 */
export interface CollectEnvironment {
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  now: Date;
  /** Salt of `anonymousProjectId` (from the user's config); without it project ids are unsalted hashes. */
  projectSalt?: string;
  /** Skip building `records` (the sync path needs only sessions; saves memory on a full scan). */
  skipRecords?: boolean;
  /**
   * Transcripts a hook says just grew (Claude Code's `transcript_path`): when every transcript was listed
   * lately, only these sessions are read. A hint, never a limit on correctness: the rest waits for the next
   * full listing.
   */
  changedFiles?: readonly string[];
  /** Worker threads for a big Claude scan (0: main thread only); chosen from the bytes to read when unset. */
  scanThreads?: number;
}

/** One deduplicated billed model call, normalised as in TOOL-LOG-FORMATS.md §0.1 (for local reports). */
export interface UsageRecord {
  tool: ToolType;
  sessionId: string;
  timestamp: number;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** The part of `outputTokens` spent reasoning, where the log says (0 when it does not). */
  reasoningTokens?: number;
  /**
   * Identity of the billed call within its tool. An incremental run can re-emit a call whose numbers grew
   * (streaming placeholders, in-place updates): keep the last record per key. A collector may leave it out
   * of a full scan's records, where each call is there once.
   */
  dedupKey?: string;
}

export interface CollectResult<State> {
  /** Every session touched since the previous state, with its cumulative totals (safe to resend). */
  sessions: SessionInput[];
  records: UsageRecord[];
  /** The state to persist once `sessions` are safely queued; passing it back continues incrementally. */
  state: State;
  malformedLines: number;
  filesRead: number;
  /**
   * Billed calls that carried no usable time of their own and were dated from the nearest earlier time in
   * their file (else the file's mtime). Counted alike by `stats` and `sync`.
   */
  undatedRecords?: number;
}

/** How a collector's state is persisted when plain JSON in one file does not fit (see claude-state-store.ts). */
export interface StateStore<State> {
  load(stateDir: string, tool: ToolType): State | undefined;
  save(stateDir: string, tool: ToolType, state: State, now: Date): void;
}

export interface Collector<State = unknown> {
  tool: ToolType;
  /** Its own state layout; without one the state is one JSON file. */
  store?: StateStore<State>;
  /** True when the tool's data folder (or database) exists under this environment. */
  detect(environment: CollectEnvironment): boolean;
  /**
   * Reads what is new since `previous` (everything when undefined). Must not write anywhere.
   * `previous` is continued in place and returned as `state` (states reach several MB on big histories, so
   * they are not copied): pass a freshly loaded state, and persist the returned one only after queueing.
   */
  collect(environment: CollectEnvironment, previous: State | undefined): Promise<CollectResult<State>>;
}
