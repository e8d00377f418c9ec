import { parentPort } from "node:worker_threads";
import { digestTranscript } from "./claude-digest";
import type { DigestTask } from "./claude-digest-pool";

/** Worker entry (bundled as dist/claude-scan-worker.js): digests the transcripts the main thread hands it. */
parentPort?.on("message", (task: DigestTask & { id: number }) => {
  const result = digestTranscript(task.path, task.cursor);
  parentPort?.postMessage({ id: task.id, result }, result ? [result.digest.numbers.buffer as ArrayBuffer] : []);
});
