/** Exit codes of the CLI: 1 general failure, 2 usage, 3 not configured, 4 server/network, 5 busy. */
export const EXIT = { failure: 1, usage: 2, notConfigured: 3, network: 4, busy: 5 } as const;

/** The one error type of the CLI: a one-line reason, what to do about it, and the exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.hint = options.hint;
  }
}

/** One line; for `fetch failed` the underlying reason (ECONNREFUSED, ENOTFOUND…) says more. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  const message = error.message.split("\n")[0] ?? error.name;
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}
