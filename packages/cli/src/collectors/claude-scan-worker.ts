import { parentPort } from "node:worker_threads";
import { digestTranscript } from "./claude-digest";
import { encodeTranscript } from "./claude-digest-codec";
import type { DigestTask } from "./claude-digest-pool";

/** Worker entry (bundled as dist/claude-scan-worker.js): digests the transcripts the main thread hands it. */
parentPort?.on("message", (task: DigestTask & { id: number }) => {
  const digested = digestTranscript(task.path, task.cursor);
  const result = digested && encodeTranscript(digested);
  parentPort?.postMessage({ id: task.id, result }, result ? [result.numbers.buffer as ArrayBuffer] : []);
});
