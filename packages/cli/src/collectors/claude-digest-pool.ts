import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { streamTranscript, type TranscriptEnd } from "./claude-digest";
import { decodeTranscript, type EncodedTranscript } from "./claude-event-codec";
import type { ClaudeEvent } from "./claude-lines";
import type { FileCursor } from "./file-cursor";

export interface DigestTask {
  path: string;
  cursor: FileCursor | undefined;
}

/** Receives each task's events, then its end, strictly in task order. */
export interface DigestSink {
  event(index: number, event: ClaudeEvent): void;
  end(index: number, end: TranscriptEnd | null): void;
}

const WORKER_FILE = "claude-scan-worker.js";
/** Below this many new bytes, starting workers (≈30 ms each) costs more than it saves: the hook's case. */
export const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;
const MAX_THREADS = 4;

/**
 * The bundled worker script beside this code: `dist/` (entry) or `dist/chunks/` (split chunk) of the built
 * CLI. Running from sources (tests, tsx) there is none and the scan stays on the main thread.
 */
export function findWorkerScript(moduleUrl: string = import.meta.url): URL | null {
  if (!moduleUrl.startsWith("file:") || !moduleUrl.endsWith(".js")) return null;
  for (const relative of [`./${WORKER_FILE}`, `../${WORKER_FILE}`]) {
    const url = new URL(relative, moduleUrl);
    if (existsSync(url)) return url;
  }
  return null;
}

/**
 * Worker threads beside the main one for a scan of `bytes` new bytes (0: the main thread alone). Only idle
 * cores count (half a core idle on average rounds up): a worker costs ≈15% more CPU, and measured on
 * 2 cores it won 9% wall at a load of 2 but lost 15–50% at loads of 2.6–6.
 */
export function chooseThreads(
  bytes: number,
  requested: number | undefined,
  cores = availableParallelism(),
  load = loadavg()[0] ?? 0,
): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (bytes < PARALLEL_MIN_BYTES) return 0;
  return Math.max(0, Math.min(MAX_THREADS, cores - 1, Math.round(cores - load)));
}

/**
 * A worker holds one file's events at a time: a small heap keeps the process under its RSS budget. A line
 * too big for it kills the worker, and the main thread digests that file instead.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 48 };

const WORKER_QUEUE_DEPTH = 2;

const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Digests `tasks` with `threads` workers plus the main thread and hands the results to `sink` strictly in
 * task order, so the merge is exactly the single-threaded one. Files are dealt in fixed cycles (the main
 * thread digests two per cycle, applying as it reads, each worker three); a worker has up to two files
 * queued and is at most one cycle ahead, so it never waits for the main thread to read its last result,
 * and a result is applied soon after it arrives instead of aging in the heap. A worker that dies (a line too big
 * for its heap) hands its files back to the main thread.
 */
export async function digestInOrder(
  tasks: DigestTask[],
  threads: number,
  sink: DigestSink,
  script: URL | null = findWorkerScript(),
): Promise<void> {
  const digestInline = (index: number) => {
    const task = tasks[index]!;
    sink.end(
      index,
      streamTranscript(task.path, task.cursor, (event) => sink.event(index, event)),
    );
  };
  if (threads === 0 || !script || tasks.length < 2) {
    for (let index = 0; index < tasks.length; index++) digestInline(index);
    return;
  }
  // A cycle of files: the main thread digests the first two (it also applies everything), each worker three.
  const cycle = 2 + 3 * threads;
  const laneOf = (index: number) => {
    const position = index % cycle;
    return position < 2 ? -1 : (position - 2) % threads;
  };
  const findNextOfLane = (lane: number, from: number) => {
    let index = from;
    while (index < tasks.length && laneOf(index) !== lane) index++;
    return index;
  };
  const workers: (Worker | null)[] = [];
  /** Per worker lane: tasks sent and not answered yet. */
  const inFlight: number[] = [];
  /** Per worker lane: the next task index of that lane not sent yet. */
  const nextOfLane: number[] = [];
  const results = new Map<number, EncodedTranscript | null>();
  let next = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  // Two tasks queued per worker: it starts the next one as soon as it posts a result, instead of idling
  // until the main thread (busy digesting or applying) gets round to reading that result.
  const feed = (lane: number) => {
    const worker = workers[lane];
    while (worker && inFlight[lane]! < WORKER_QUEUE_DEPTH) {
      const index = nextOfLane[lane]!;
      if (index >= tasks.length || index > next + cycle) return;
      inFlight[lane]!++;
      nextOfLane[lane] = findNextOfLane(lane, index + 1);
      worker.postMessage({ id: index, ...tasks[index]! });
    }
  };
  const retire = (lane: number) => {
    if (!workers[lane]) return;
    workers[lane] = null;
    notify();
  };
  for (let lane = 0; lane < threads; lane++) {
    const worker = new Worker(script, { resourceLimits: WORKER_LIMITS });
    workers.push(worker);
    inFlight.push(0);
    nextOfLane.push(findNextOfLane(lane, 0));
    worker.on("message", (message: { id: number; result: EncodedTranscript | null }) => {
      results.set(message.id, message.result);
      inFlight[lane]!--;
      feed(lane);
      notify();
    });
    worker.on("error", () => retire(lane));
    worker.on("exit", () => retire(lane));
  }
  const started = [...workers];
  try {
    for (let lane = 0; lane < threads; lane++) feed(lane);
    while (next < tasks.length) {
      const lane = laneOf(next);
      const result = results.get(next);
      if (result !== undefined) {
        results.delete(next);
        const index = next;
        if (result) decodeTranscript(result, (event) => sink.event(index, event));
        sink.end(index, result && { cursor: result.cursor, malformedLines: result.malformedLines });
      } else if (lane === -1 || !workers[lane]) {
        // The main thread's own file, or one of a dead worker's.
        digestInline(next);
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      next++;
      for (let other = 0; other < threads; other++) feed(other);
      if (lane === -1) await yieldToMessages();
    }
  } finally {
    for (const worker of started) {
      worker?.removeAllListeners("exit");
      void worker?.terminate();
    }
  }
}
