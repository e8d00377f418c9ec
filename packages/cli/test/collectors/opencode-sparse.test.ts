import { describe, expect, it } from "vitest";
import { opencodeCollector } from "../../src/collectors/opencode";
import { useCollectorFixture, writeText } from "../fixtures/fixture-home";
import { assistantData, OpenCodeDbFixture, realSessionTotals, writeRealSession } from "../fixtures/opencode-store";

const T0 = 1772442000000;
const { fixture, collect } = useCollectorFixture(opencodeCollector);
const dbPath = () => fixture.path(".local", "share", "opencode", "opencode.db");
const tokens = { input: 10, output: 20, reasoning: 5, read: 0, write: 0 };

describe("opencode collector, real sessions and odd messages", () => {
  it("counts an OpenCode 1.18 session exactly, reasoning included", async () => {
    const store = new OpenCodeDbFixture(dbPath());
    writeRealSession(store, "ses_real", T0);
    store.close();
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    expect(result.sessions[0]).toMatchObject({
      inputTokens: realSessionTotals.input,
      outputTokens: realSessionTotals.output,
      cacheReadTokens: realSessionTotals.cacheRead,
      reasoningTokens: realSessionTotals.reasoning,
      turnCount: realSessionTotals.turns,
      toolUsage: { glob: 1 },
    });
    expect(result.records.map((record) => record.reasoningTokens)).toEqual([7, 9, 0, 3]);
  });

  it("dates a message without time.created by its row, so sync sends what stats shows", async () => {
    const store = new OpenCodeDbFixture(dbPath());
    store.session("ses_1", T0);
    const { time: _time, ...undated } = assistantData(tokens, T0);
    store.rawMessage("msg_a1", "ses_1", JSON.stringify(undated), T0 + 2000);
    const odd = [-1, null, "soon", 1e300, 1_772_442_010];
    odd.forEach((created, index) => {
      store.rawMessage(`msg_b${index}`, "ses_1", JSON.stringify({ ...undated, time: { created } }), T0 + 3000);
    });
    store.close();
    const result = await collect();
    expect(result.undatedRecords).toBe(odd.length);
    const times = Object.fromEntries(result.records.map((record) => [record.dedupKey, record.timestamp]));
    expect(times).toMatchObject({ msg_a1: T0 + 2000, msg_b0: T0 + 3000, msg_b4: 1_772_442_010_000 });
    expect(result.sessions).toHaveLength(1);
    expect(result.sessions[0]).toMatchObject({ inputTokens: 60, outputTokens: 150, reasoningTokens: 30 });
    const synced = await opencodeCollector.collect(fixture.environment({}, { skipRecords: true }), undefined);
    expect(synced.sessions).toEqual(result.sessions);
  });

  it("reads a state saved before reasoning was kept from scratch, with its reasoning", async () => {
    const store = new OpenCodeDbFixture(dbPath());
    writeRealSession(store, "ses_real", T0);
    store.close();
    const first = await collect();
    const older = { ...first.state, version: 1 } as unknown as typeof first.state;
    const again = await collect(older);
    expect(again.sessions[0]).toMatchObject({
      inputTokens: realSessionTotals.input,
      reasoningTokens: realSessionTotals.reasoning,
    });
  });

  it("dates a legacy message file without a time by the file's mtime", async () => {
    const storage = fixture.path(".local", "share", "opencode", "storage");
    const mtime = new Date("2026-02-01T00:00:00.000Z");
    writeText(`${storage}/session/prj/ses_old.json`, JSON.stringify({ id: "ses_old", directory: "/home/ana/old" }));
    const { time: _time, ...undated } = assistantData(tokens, 0);
    writeText(
      `${storage}/message/ses_old/msg_x.json`,
      JSON.stringify({ ...undated, id: "msg_x", sessionID: "ses_old" }),
      mtime,
    );
    const result = await collect();
    expect(result.records.map((record) => record.timestamp)).toEqual([mtime.getTime()]);
    expect(result.sessions[0]).toMatchObject({ endedAt: mtime.toISOString(), inputTokens: 10 });
  });
});
