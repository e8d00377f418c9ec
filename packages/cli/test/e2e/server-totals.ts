import type { RunningApiServer } from "@modu-arena/server/testing";
import { emptyTruth, type Truth } from "./claude-home";

/** Polls the server until the user's totals equal `expected` (detached syncs finish on their own time). */
export async function waitForTotals(
  server: RunningApiServer,
  username: string,
  expected: Truth,
  timeoutMs = 20_000,
): Promise<Truth> {
  const read = () => server.getUserTotals(username).catch(() => emptyTruth());
  const deadline = Date.now() + timeoutMs;
  let totals = await read();
  while (Date.now() < deadline && JSON.stringify(totals) !== JSON.stringify(expected)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    totals = await read();
  }
  return totals;
}
