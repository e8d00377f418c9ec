import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt } from "../helpers/build-cli";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";
import { runCli } from "../helpers/run-cli";
import { writeMixedClaudeHome } from "./claude-home";

/**
 * The full scan digests transcripts on worker threads from the built binary (dist/claude-scan-worker.js).
 * Whatever the thread count, the payloads must be exactly the single-threaded ones: the merge is ordered.
 */
describe("claude full scan on worker threads (built binary)", () => {
  let home: string;

  beforeAll(() => {
    ensureCliBuilt();
    home = createTempHome("modu-e2e-threads-");
    writeMixedClaudeHome(home, 24);
  });
  afterAll(() => removeTempHome(home));

  const dryRun = async (threads: string) => {
    const run = await runCli(["sync", "--dry-run", "--tool", "claude-code"], {
      home,
      env: { MODU_ARENA_SCAN_THREADS: threads },
    });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { sessionId: string }[];
  };

  it("sends the same sessions with 0, 1 and 3 worker threads", async () => {
    const inline = await dryRun("0");
    expect(inline).toHaveLength(24);
    expect(await dryRun("1")).toEqual(inline);
    expect(await dryRun("3")).toEqual(inline);
  });
});
