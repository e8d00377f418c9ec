import type { BatchItemResult, ToolType } from "@modu-arena/core";
import { LIMITS } from "@modu-arena/core/limits";
import { type ApiClient, ApiError } from "../api/client";
import { loadContracts } from "../api/contracts";
import type { StatePaths } from "../state/paths";
import { listQueue, moveToDeadLetter, type QueuedFile, removeAcknowledged } from "../state/queue";

/** Rejections worth retrying: the server failed, not the record. */
const RETRYABLE_REJECTIONS = new Set(["internal_error", "service_unavailable", "rate_limited"]);
/** Keeps a request well under the server's body limit. */
const MAX_BATCH_BYTES = Math.floor(LIMITS.maxBodyBytes * 0.8);

export interface UploadReport {
  sent: number;
  acknowledged: { created: number; updated: number; duplicate: number };
  deadLettered: number;
  kept: number;
  /** Set when the upload stopped early; the rest stays queued for the next run. */
  error?: ApiError;
}

export interface UploadContext {
  paths: StatePaths;
  client: ApiClient;
  now: () => Date;
  tool?: ToolType;
  onProgress?: (done: number, total: number) => void;
}

/** Splits into requests of at most 100 sessions and ~800 KB each. */
export function chunkForUpload(queued: QueuedFile[]): QueuedFile[][] {
  const chunks: QueuedFile[][] = [];
  let current: QueuedFile[] = [];
  let bytes = 0;
  for (const item of queued) {
    const size = JSON.stringify(item.entry.payload).length + 1;
    if (current.length > 0 && (current.length >= LIMITS.maxBatchSize || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function applyResult(context: UploadContext, item: QueuedFile, result: BatchItemResult, report: UploadReport): void {
  if (result.status !== "rejected") {
    removeAcknowledged(item);
    report.acknowledged[result.status] += 1;
    return;
  }
  const code = result.error?.code ?? "rejected";
  if (RETRYABLE_REJECTIONS.has(code)) {
    report.kept += 1;
    return;
  }
  const fields = result.error?.fields ? ` ${JSON.stringify(result.error.fields)}` : "";
  moveToDeadLetter(context.paths, item, `${code}: ${result.error?.message ?? "rejected"}${fields}`, context.now());
  report.deadLettered += 1;
}

async function sendChunk(context: UploadContext, chunk: QueuedFile[], report: UploadReport): Promise<void> {
  try {
    const response = await context.client.postBatch(chunk.map((item) => item.entry.payload));
    report.sent += chunk.length;
    for (const result of response.results) {
      const item = chunk[result.index];
      if (item) applyResult(context, item, result, report);
    }
  } catch (error) {
    // A whole request refused as invalid (not auth, not the server's fault): isolate the bad record.
    const isRecordProblem = error instanceof ApiError && !error.isRetryable && error.status !== 401;
    if (!isRecordProblem) throw error;
    if (chunk.length === 1 && chunk[0]) {
      moveToDeadLetter(context.paths, chunk[0], `${error.code ?? error.status}: ${error.message}`, context.now());
      report.deadLettered += 1;
      return;
    }
    const middle = Math.ceil(chunk.length / 2);
    await sendChunk(context, chunk.slice(0, middle), report);
    await sendChunk(context, chunk.slice(middle), report);
  }
}

/** Sends what is queued, oldest first; stops at the first network, 5xx, 429 or auth failure. */
export async function uploadQueue(context: UploadContext): Promise<UploadReport> {
  const report: UploadReport = {
    sent: 0,
    acknowledged: { created: 0, updated: 0, duplicate: 0 },
    deadLettered: 0,
    kept: 0,
  };
  const queued = listQueue(context.paths, context.tool);
  if (queued.length === 0) return report; // nothing to send: no need for the contracts either
  const { describeZodError, sessionInputSchema } = await loadContracts();
  const valid: QueuedFile[] = [];
  for (const item of queued) {
    const parsed = sessionInputSchema.safeParse(item.entry.payload);
    if (parsed.success) valid.push(item);
    else {
      const reason = `invalid_request: ${JSON.stringify(describeZodError(parsed.error))}`;
      moveToDeadLetter(context.paths, item, reason, context.now());
      report.deadLettered += 1;
    }
  }
  const chunks = chunkForUpload(valid);
  let done = 0;
  for (const [index, chunk] of chunks.entries()) {
    try {
      await sendChunk(context, chunk, report);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      report.error = error;
      report.kept += chunks.slice(index).reduce((sum, rest) => sum + rest.length, 0);
      break;
    }
    done += chunk.length;
    context.onProgress?.(done, valid.length);
  }
  return report;
}
