import type { Worker } from "node:worker_threads";
import { type DigestedTranscript, digestTranscript } from "./claude-digest";
import type { FileCursor } from "./file-cursor";
import { findWorkerScript, startScanWorker, WakeSignal, yieldToMessages } from "./scan-threads";

export interface DigestTask {
  path: string;
  cursor: FileCursor | undefined;
}

/** Receives each task's digest (null: the file vanished or could not be read), strictly in task order. */
export type DigestSink = (index: number, result: DigestedTranscript | null) => void;

const WORKER_FILE = "claude-scan-worker.js";

/**
 * Files queued per worker: it starts the next one as soon as it posts a result, not when the main thread
 * reads it. The main thread hears from a worker only between two files it digests itself, so a short queue
 * ran dry: at 3, the worker idled 17% of a full scan (docs/benchmarks.md, the 2026-12-03 `2f0da20` run).
 */
const WORKER_QUEUE_DEPTH = 8;
/** How far past the next file to apply a file may be taken: bounds the digests held in memory. */
const LOOKAHEAD_FILES = 64;

/**
 * Digests `tasks` with `threads` workers plus the main thread and hands the results to `sink` strictly in
 * task order, so the merge is exactly the single-threaded one. Work is shared as it goes: workers take the
 * next untaken files (a few queued each); the main thread applies every result in order and, whenever the
 * next one is still on a worker, digests the next untaken file itself instead of waiting. A worker that dies
 * (a line too big for its heap) leaves its files to the main thread.
 */
export async function digestInOrder(
  tasks: DigestTask[],
  threads: number,
  sink: DigestSink,
  script: URL | null = findWorkerScript(WORKER_FILE),
): Promise<void> {
  const digestInline = (index: number) => digestTranscript(tasks[index]!.path, tasks[index]!.cursor);
  if (threads === 0 || !script || tasks.length < 2) {
    for (let index = 0; index < tasks.length; index++) sink(index, digestInline(index));
    return;
  }
  const workers: (Worker | null)[] = [];
  const inFlight: number[] = [];
  /** The worker lane digesting each task, -1 when none is. */
  const laneOfTask = new Int16Array(tasks.length).fill(-1);
  const results = new Map<number, DigestedTranscript | null>();
  /** Every task below it was taken (by a worker or the main thread). */
  let frontier = 0;
  let next = 0;
  const signal = new WakeSignal();
  const feed = (lane: number) => {
    const worker = workers[lane];
    while (worker && inFlight[lane]! < WORKER_QUEUE_DEPTH && frontier < tasks.length) {
      if (frontier > next + LOOKAHEAD_FILES) return;
      const index = frontier++;
      laneOfTask[index] = lane;
      inFlight[lane]!++;
      worker.postMessage({ id: index, ...tasks[index]! });
    }
  };
  const feedAll = () => {
    for (let lane = 0; lane < workers.length; lane++) feed(lane);
  };
  const retire = (lane: number) => {
    if (!workers[lane]) return;
    workers[lane] = null;
    // Its files are no one's now: the main thread digests them when their turn comes.
    for (let index = 0; index < tasks.length; index++) if (laneOfTask[index] === lane) laneOfTask[index] = -1;
    signal.notify();
  };
  for (let lane = 0; lane < threads; lane++) {
    const worker = startScanWorker(script);
    workers.push(worker);
    inFlight.push(0);
    worker.on("message", (message: { id: number; result: DigestedTranscript | null }) => {
      results.set(message.id, message.result);
      laneOfTask[message.id] = -1;
      inFlight[lane]!--;
      feed(lane);
      signal.notify();
    });
    worker.on("error", () => retire(lane));
    worker.on("exit", () => retire(lane));
  }
  const started = [...workers];
  try {
    feedAll();
    while (next < tasks.length) {
      const result = results.get(next);
      if (result !== undefined) {
        results.delete(next);
        sink(next, result);
        next++;
        feedAll();
      } else if (laneOfTask[next] === -1) {
        // Untaken yet, or a dead worker's.
        if (frontier === next) frontier++;
        sink(next, digestInline(next));
        next++;
        feedAll();
        await yieldToMessages();
      } else if (frontier < tasks.length && frontier <= next + LOOKAHEAD_FILES) {
        // The next file is on a worker: digest a later one meanwhile.
        const index = frontier++;
        results.set(index, digestInline(index));
        await yieldToMessages();
      } else {
        await signal.wait();
      }
    }
  } finally {
    for (const worker of started) {
      worker?.removeAllListeners("exit");
      void worker?.terminate();
    }
  }
}
