const LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface Logger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

// Keys whose values must never reach a log line, whatever a caller passes.
const SECRET_KEY = /key|secret|password|token|code|signature|authorization|cookie/i;

function redact(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => [
      key,
      SECRET_KEY.test(key) && typeof value === "string" ? "[redacted]" : value,
    ]),
  );
}

/** One JSON line per event on stderr. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LEVELS.indexOf(level);
  const emit = (at: LogLevel, message: string, details?: Record<string, unknown>) => {
    if (LEVELS.indexOf(at) < threshold) return;
    const entry = { time: new Date().toISOString(), level: at, message, ...(details ? redact(details) : {}) };
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (message, details) => emit("debug", message, details),
    info: (message, details) => emit("info", message, details),
    warn: (message, details) => emit("warn", message, details),
    error: (message, details) => emit("error", message, details),
  };
}
