import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { signRequest } from "@modu-arena/core";

export interface Account {
  username: string;
  apiKey: string;
}

export interface SignedRequest {
  path: string;
  apiKey: string;
  timestamp: number;
  signature: string;
  body: string;
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

/**
 * Requests built and signed exactly like a real client's (a fresh session each, the current timestamp,
 * HMAC of `timestamp:body`), made before the timed run so the load generator spends no CPU on them.
 * Each is used once: the timestamps stay inside the server's 5-minute window for the run that follows.
 */
export function signRequests(accounts: Account[], path: string, count: number, batchSize = 0): SignedRequest[] {
  const now = new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  return Array.from({ length: count }, (_, index) => {
    const account = accounts[index % accounts.length]!;
    const payload =
      batchSize === 0 ? makeSession(now) : { sessions: Array.from({ length: batchSize }, () => makeSession(now)) };
    const body = JSON.stringify(payload);
    return { path, apiKey: account.apiKey, timestamp, signature: signRequest(account.apiKey, timestamp, body), body };
  });
}

/** One request a line, tab-separated, for `wrk-signed.lua` (JSON bodies hold no raw tabs or newlines). */
export function writeRequestFile(file: string, requests: SignedRequest[]): void {
  const lines = requests.map((r) => [r.path, r.apiKey, r.timestamp, r.signature, r.body].join("\t"));
  writeFileSync(file, `${lines.join("\n")}\n`);
}

/** The same sessions sent again later with larger totals (a resumed session): the locking path. */
export function signResumed(previous: SignedRequest[]): SignedRequest[] {
  const now = new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  return previous.map((request) => {
    const session = JSON.parse(request.body) as ReturnType<typeof makeSession>;
    const body = JSON.stringify({
      ...session,
      endedAt: now.toISOString(),
      inputTokens: session.inputTokens + 1200,
      outputTokens: session.outputTokens + 300,
      cacheReadTokens: session.cacheReadTokens + 4000,
    });
    return { ...request, timestamp, body, signature: signRequest(request.apiKey, timestamp, body) };
  });
}
