import { parentPort, type Worker } from "node:worker_threads";
import { startScanWorker, WakeSignal, yieldToMessages } from "./scan-threads";

const WORKER_QUEUE_DEPTH = 2;

/**
 * Runs `work` on every task, each independent of the others, with `threads` workers (running `script`,
 * which answers `{ id, task }` with `{ id, result }`) plus the main thread: workers take tasks from the
 * front, the main thread from the back, until they meet. A worker that dies leaves its tasks to the main
 * thread. Results come back in task order.
 */
export async function mapInParallel<Task, Result>(
  tasks: Task[],
  threads: number,
  script: URL | null,
  work: (task: Task) => Result,
): Promise<Result[]> {
  const results = new Array<Result>(tasks.length);
  if (threads === 0 || !script || tasks.length < 2) {
    for (let index = 0; index < tasks.length; index++) results[index] = work(tasks[index]!);
    return results;
  }
  let front = 0;
  let back = tasks.length;
  const done = new Uint8Array(tasks.length);
  const orphans: number[] = [];
  const inFlight: Set<number>[] = [];
  const workers: (Worker | null)[] = [];
  const signal = new WakeSignal();
  const feed = (lane: number) => {
    const worker = workers[lane];
    while (worker && inFlight[lane]!.size < WORKER_QUEUE_DEPTH && front < back) {
      const id = front++;
      inFlight[lane]!.add(id);
      worker.postMessage({ id, task: tasks[id] });
    }
  };
  const retire = (lane: number) => {
    if (!workers[lane]) return;
    workers[lane] = null;
    orphans.push(...inFlight[lane]!);
    inFlight[lane]!.clear();
    signal.notify();
  };
  for (let lane = 0; lane < threads; lane++) {
    const worker = startScanWorker(script);
    workers.push(worker);
    inFlight.push(new Set());
    worker.on("message", (message: { id: number; result: Result }) => {
      results[message.id] = message.result;
      done[message.id] = 1;
      inFlight[lane]!.delete(message.id);
      feed(lane);
      signal.notify();
    });
    worker.on("error", () => retire(lane));
    worker.on("exit", () => retire(lane));
  }
  const started = [...workers];
  const finish = (id: number) => {
    results[id] = work(tasks[id]!);
    done[id] = 1;
  };
  try {
    for (let lane = 0; lane < threads; lane++) feed(lane);
    while (front < back) {
      finish(--back);
      await yieldToMessages();
    }
    while (inFlight.some((ids) => ids.size > 0) || orphans.length > 0) {
      const orphan = orphans.pop();
      if (orphan !== undefined) {
        if (!done[orphan]) finish(orphan);
        continue;
      }
      await signal.wait();
    }
    return results;
  } finally {
    for (const worker of started) {
      worker?.removeAllListeners("exit");
      void worker?.terminate();
    }
  }
}

/** The worker side: answers each `{ id, task }` with `{ id, result }` (null when `work` throws). */
export function serveTasks<Task, Result>(work: (task: Task) => Result): void {
  parentPort?.on("message", ({ id, task }: { id: number; task: Task }) => {
    let result: Result | null = null;
    try {
      result = work(task);
    } catch {
      // The main thread counts a null result as an unreadable file.
    }
    parentPort?.postMessage({ id, result });
  });
}
