import { signRequest } from "@modu-arena/core";
import type { Random } from "./hostile-input";
import type { SessionVersion, SimulatedSession } from "./load-model";

export interface LoadAccount {
  apiKey: string;
}

export interface LoadFigures {
  requests: number;
  /** Session items carried by requests (resends and retries included). */
  submissions: number;
  acknowledged: number;
  resends: number;
  batches: number;
  byStatus: Record<string, number>;
  /** Answers that are never acceptable: 500s and unexpected refusals, with a sample. */
  unexpected: string[];
}

interface Pending {
  version: SessionVersion;
  resent: boolean;
}

/**
 * Clients delivering every version of every session, the way the CLI's queue does: random order (so
 * older versions can arrive after newer ones), random resends, batches, and retry on 503, 429 or a
 * dropped connection. Resolves when every item has a final answer (2xx, or 409 for a superseded one).
 */
export async function driveLoad(options: {
  random: Random;
  accounts: LoadAccount[];
  sessions: SimulatedSession[];
  urls: () => string[];
  concurrency: number;
  deadlineMs: number;
  onProgress?: (acknowledged: number, total: number) => void;
}): Promise<LoadFigures> {
  const { random } = options;
  const queues = options.accounts.map((): Pending[] => []);
  let total = 0;
  for (const session of options.sessions) {
    for (const version of session.versions) {
      queues[session.userIndex]!.push({ version, resent: false });
      total++;
    }
  }
  const figures: LoadFigures = {
    requests: 0,
    submissions: 0,
    acknowledged: 0,
    resends: 0,
    batches: 0,
    byStatus: {},
    unexpected: [],
  };
  const count = (key: string) => {
    figures.byStatus[key] = (figures.byStatus[key] ?? 0) + 1;
  };
  let inFlight = 0;
  const deadline = Date.now() + options.deadlineMs;

  const settle = (queue: Pending[], item: Pending) => {
    if (!item.resent && random.chance(0.15)) {
      figures.resends++;
      queue.push({ version: item.version, resent: true });
      return;
    }
    figures.acknowledged++;
    options.onProgress?.(figures.acknowledged, total);
  };

  async function sendOnce(): Promise<void> {
    const candidates = queues.flatMap((queue, index) => (queue.length > 0 ? [index] : []));
    if (candidates.length === 0) {
      await sleep(20);
      return;
    }
    const userIndex = random.pick(candidates);
    const queue = queues[userIndex]!;
    const take = random.chance(0.35) ? 1 + random.int(20) : 1;
    const items: Pending[] = [];
    while (items.length < take && queue.length > 0) items.push(queue.splice(random.int(queue.length), 1)[0]!);
    const batch = items.length > 1 || random.chance(0.1);
    const body = JSON.stringify(batch ? { sessions: items.map((item) => item.version) } : items[0]!.version);
    const urls = options.urls();
    const url = `${random.pick(urls)}/api/v1/sessions${batch ? "/batch" : ""}`;
    const apiKey = options.accounts[userIndex]!.apiKey;
    const timestamp = Math.floor(Date.now() / 1000);
    figures.requests++;
    figures.submissions += items.length;
    if (batch) figures.batches++;
    inFlight++;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": apiKey,
          "x-timestamp": String(timestamp),
          "x-signature": signRequest(apiKey, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(20_000),
      });
      count(String(res.status));
      const text = await res.text();
      if (res.status === 503 || res.status === 429) {
        queue.push(...items);
        await sleep(200 + random.int(400));
        return;
      }
      if (res.status >= 500) {
        figures.unexpected.push(`${res.status} ${url}: ${text.slice(0, 300)}`);
        queue.push(...items);
        return;
      }
      if (!batch) {
        const shrunk = res.status === 409 && text.includes("session_shrunk");
        if (res.status === 200 || shrunk) settle(queue, items[0]!);
        else {
          figures.unexpected.push(`${res.status} ${url}: ${text.slice(0, 300)}`);
          queue.push(...items);
        }
        return;
      }
      const results =
        res.status === 200 ? (JSON.parse(text).results as Array<{ status: string; error?: { code: string } }>) : [];
      if (results.length !== items.length) {
        figures.unexpected.push(`${res.status} ${url}: ${text.slice(0, 300)}`);
        queue.push(...items);
        return;
      }
      results.forEach((result, index) => {
        if (result.status !== "rejected" || result.error?.code === "session_shrunk") settle(queue, items[index]!);
        else {
          figures.unexpected.push(`batch item ${JSON.stringify(result).slice(0, 300)}`);
          queue.push(items[index]!);
        }
      });
    } catch {
      // Refused or dropped connection, or timeout: the outcome is unknown, and a resend is always safe.
      count("network");
      queue.push(...items);
      await sleep(200 + random.int(300));
    } finally {
      inFlight--;
    }
  }

  async function worker(): Promise<void> {
    while (queues.some((queue) => queue.length > 0) || inFlight > 0) {
      if (Date.now() > deadline) throw new Error(`load not delivered in time: ${JSON.stringify(figures)}`);
      if (figures.unexpected.length > 50) throw new Error(`too many bad answers: ${figures.unexpected.slice(0, 5)}`);
      await sendOnce();
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  return figures;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
