import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** Below this many new bytes, starting workers (≈30 ms each) costs more than it saves: the hook's case. */
export const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;
const MAX_THREADS = 4;

/**
 * A bundled worker script beside this code: `dist/` (entry) or `dist/chunks/` (split chunk) of the built
 * CLI. Running from sources (tests, tsx) there is none and the scan stays on the main thread.
 */
export function findWorkerScript(fileName: string, moduleUrl: string = import.meta.url): URL | null {
  if (!moduleUrl.startsWith("file:") || !moduleUrl.endsWith(".js")) return null;
  for (const relative of [`./${fileName}`, `../${fileName}`]) {
    const url = new URL(relative, moduleUrl);
    if (existsSync(url)) return url;
  }
  return null;
}

/**
 * Worker threads beside the main one for a scan of `bytes` new bytes (0: the main thread alone): one per
 * core but the main thread's. Work is shared as it goes, so a slow worker only takes fewer files: measured
 * on 2 cores (docs/benchmarks.md), one worker won 35% wall on an idle machine, 27% with two cores busy
 * with other work, and broke even with one busy.
 */
export function chooseThreads(
  bytes: number,
  requested: number | undefined,
  cores = availableParallelism(),
  minBytes = PARALLEL_MIN_BYTES,
): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (bytes < minBytes) return 0;
  return Math.max(0, Math.min(MAX_THREADS, cores - 1));
}

/**
 * A worker holds one file's result at a time: a small heap keeps the process under its RSS budget. A line
 * too big for it kills the worker, and the main thread reads that file instead.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 48 };

export function startScanWorker(script: URL): Worker {
  return new Worker(script, { resourceLimits: WORKER_LIMITS });
}

/** Lets the workers' messages in between two files the main thread reads itself. */
export const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The main thread's wait for the next worker message: `wait()` resolves at the next `notify()`. */
export class WakeSignal {
  private wake: (() => void) | null = null;

  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  notify(): void {
    const resume = this.wake;
    this.wake = null;
    resume?.();
  }
}
