/** Upper bounds that no honest session reaches; beyond them a request is refused as absurd. */
export const LIMITS = {
  maxTokensPerField: 10_000_000_000,
  maxDurationSeconds: 30 * 86_400,
  maxTurnCount: 1_000_000,
  maxToolUsageEntries: 200,
  maxToolCount: 10_000_000,
  maxCodeLines: 100_000_000,
  maxFiles: 10_000_000,
  maxSessionIdLength: 256,
  maxModelNameLength: 128,
  maxProjectIdLength: 128,
  maxBatchSize: 100,
  /** How far in the future `endedAt` may lie (clock skew between client and server). */
  maxFutureSkewMs: 10 * 60_000,
  maxBodyBytes: 1_048_576,
} as const;
