import type { ExportedDay, ExportedSession, UserExport } from "./export-user-data";

export const CSV_DATASETS = ["sessions", "daily"] as const;
export type CsvDataset = (typeof CSV_DATASETS)[number];

/**
 * RFC 4180 quoting. Every text cell starting with =, +, -, @, tab or CR is prefixed with ' so spreadsheets
 * never run it as a formula (`-1+1+cmd|…` starts like a number, yet is one); numbers stay as they are.
 */
function cell(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  let text =
    value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv<T>(rows: T[], columns: Array<[string, (row: T) => unknown]>): string {
  const lines = [columns.map(([name]) => name).join(",")];
  for (const row of rows) lines.push(columns.map(([, read]) => cell(read(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

const SESSION_COLUMNS: Array<[string, (row: ExportedSession) => unknown]> = [
  ["tool_type", (row) => row.toolType],
  ["model_name", (row) => row.modelName],
  ["started_at", (row) => row.startedAt],
  ["ended_at", (row) => row.endedAt],
  ["duration_seconds", (row) => row.durationSeconds],
  ["turn_count", (row) => row.turnCount],
  ["input_tokens", (row) => row.inputTokens],
  ["output_tokens", (row) => row.outputTokens],
  ["cache_creation_tokens", (row) => row.cacheCreationTokens],
  ["cache_read_tokens", (row) => row.cacheReadTokens],
  ["lines_added", (row) => row.linesAdded],
  ["lines_deleted", (row) => row.linesDeleted],
  ["files_modified", (row) => row.filesModified],
  ["files_created", (row) => row.filesCreated],
  ["tool_usage", (row) => row.toolUsage],
  // Added after the first release: appended, so the earlier columns keep their positions.
  ["reasoning_tokens", (row) => row.reasoningTokens],
];

const DAY_COLUMNS: Array<[string, (row: ExportedDay) => unknown]> = [
  ["date", (row) => row.date],
  ["input_tokens", (row) => row.inputTokens],
  ["output_tokens", (row) => row.outputTokens],
  ["cache_creation_tokens", (row) => row.cacheCreationTokens],
  ["cache_read_tokens", (row) => row.cacheReadTokens],
  ["total_tokens", (row) => row.totalTokens],
  ["sessions", (row) => row.sessions],
  ["by_tool", (row) => row.byTool],
  ["by_model", (row) => row.byModel],
  ["reasoning_tokens", (row) => row.reasoningTokens],
];

/** One CSV file per dataset: sessions, or daily stats. */
export function exportToCsv(data: UserExport, dataset: CsvDataset): string {
  return dataset === "sessions" ? toCsv(data.sessions, SESSION_COLUMNS) : toCsv(data.dailyStats, DAY_COLUMNS);
}
