import { signRequest } from "@modu-arena/core";

/** Sends sessions the way the CLI does (signed batch), so the new user has data to chart and rank. */
export async function ingestSessions(url: string, apiKey: string, days: number): Promise<void> {
  const now = Date.now();
  const sessions = Array.from({ length: days }, (_, index) => {
    const ended = new Date(now - index * 86_400_000 - 60_000);
    return {
      toolType: index % 3 === 0 ? "codex" : "claude-code",
      sessionId: `e2e-${index}-${now}`,
      startedAt: new Date(ended.getTime() - 45 * 60_000).toISOString(),
      endedAt: ended.toISOString(),
      inputTokens: 40_000_000,
      outputTokens: 80_000_000,
      cacheCreationTokens: 5_000_000,
      cacheReadTokens: 20_000_000,
      modelName: index % 2 ? "claude-sonnet-4-5" : "gpt-5-codex",
      durationSeconds: 45 * 60,
      turnCount: 30,
      toolUsage: { Read: 40, Edit: 25, Bash: 12, Write: 6 },
      codeMetrics: { linesAdded: 400, linesDeleted: 120, filesModified: 9, filesCreated: 2 },
    };
  });
  const body = JSON.stringify({ sessions });
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${url}/api/v1/sessions/batch`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-API-Key": apiKey,
      "X-Timestamp": String(timestamp),
      "X-Signature": signRequest(apiKey, timestamp, body),
    },
    body,
  });
  if (!response.ok) throw new Error(`ingest failed: ${response.status} ${await response.text()}`);
}

export async function runRankings(url: string, cronSecret: string): Promise<void> {
  const response = await fetch(`${url}/api/cron/calculate-rankings`, {
    headers: { Authorization: `Bearer ${cronSecret}` },
  });
  if (!response.ok) throw new Error(`rankings failed: ${response.status} ${await response.text()}`);
}

export async function getDailyRank(url: string, apiKey: string): Promise<number | null> {
  const response = await fetch(`${url}/api/v1/rank`, { headers: { "X-API-Key": apiKey } });
  type Rank = { rankings?: { daily?: { position: number } | null } };
  const data = (await response.json()) as Rank & { data?: Rank };
  return (data.data ?? data).rankings?.daily?.position ?? null;
}
