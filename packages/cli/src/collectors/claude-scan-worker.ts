import { parentPort } from "node:worker_threads";
import { streamTranscript } from "./claude-digest";
import type { DigestTask } from "./claude-digest-pool";
import { TranscriptEncoder } from "./claude-event-codec";

/** Worker entry (bundled as dist/claude-scan-worker.js): digests the transcripts the main thread hands it. */
parentPort?.on("message", (task: DigestTask & { id: number }) => {
  const encoder = new TranscriptEncoder();
  const end = streamTranscript(task.path, task.cursor, (event) => encoder.add(event));
  const result = end && encoder.finish(end);
  parentPort?.postMessage({ id: task.id, result }, result ? [result.numbers.buffer as ArrayBuffer] : []);
});
