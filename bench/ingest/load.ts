import { randomUUID } from "node:crypto";
import { signRequest } from "@modu-arena/core";
import autocannon from "autocannon";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

export interface Account {
  username: string;
  apiKey: string;
}

function makeSession(now: Date) {
  return {
    toolType: "claude-code",
    sessionId: randomUUID(),
    startedAt: new Date(now.getTime() - 1_800_000).toISOString(),
    endedAt: now.toISOString(),
    inputTokens: 1000 + Math.floor(Math.random() * 50_000),
    outputTokens: 500 + Math.floor(Math.random() * 9000),
    cacheCreationTokens: 2000,
    cacheReadTokens: 5000,
    modelName: "claude-sonnet-4-20250514",
    toolUsage: { Read: 3, Edit: 2 },
  };
}

/** Every request is built and signed like a real client's: a fresh session, the current timestamp. */
function signedRequest(accounts: Account[], path: string, batchSize: number) {
  let next = 0;
  return {
    method: "POST" as const,
    path,
    setupRequest: (request: autocannon.Request) => {
      const account = accounts[next++ % accounts.length]!;
      const now = new Date();
      const payload =
        batchSize === 0 ? makeSession(now) : { sessions: Array.from({ length: batchSize }, () => makeSession(now)) };
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(now.getTime() / 1000);
      return {
        ...request,
        body,
        headers: {
          "content-type": "application/json",
          "x-api-key": account.apiKey,
          "x-timestamp": String(timestamp),
          "x-signature": signRequest(account.apiKey, timestamp, body),
        },
      };
    },
  };
}

export async function runLoad(options: {
  url: string;
  path: string;
  accounts?: Account[];
  batchSize?: number;
  connections: number;
  seconds: number;
  overallRate?: number;
  method?: "GET" | "POST";
}): Promise<LoadResult> {
  const requests = options.accounts
    ? [signedRequest(options.accounts, options.path, options.batchSize ?? 0)]
    : undefined;
  const result = await autocannon({
    url: options.url + options.path,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    method: options.method ?? "GET",
    requests: requests as autocannon.Request[] | undefined,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}
