import { utimesSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { crushCollector } from "../../src/collectors/crush";
import { CrushDbFixture, registerCrushProjects } from "../fixtures/crush-store";
import { useCollectorFixture } from "../fixtures/fixture-home";

const ROOT = "4c1d0000-0000-4000-8000-000000000001";
const T = 1772441100;
const { fixture, collect } = useCollectorFixture(crushCollector);

function createProject(created: number, updated: number) {
  const projectPath = fixture.path("src", "demo");
  const dbPath = `${projectPath}/.crush/crush.db`;
  const store = new CrushDbFixture(dbPath);
  store.session({ id: ROOT, prompt: 500, completion: 40, cost: 0.01, created, updated });
  store.message("m-1", ROOT, "user", [{ type: "text", data: { text: "hi" } }], created);
  store.message("m-2", ROOT, "assistant", [], updated);
  store.close();
  const dataDir = fixture.path("crush-data");
  registerCrushProjects(dataDir, [{ path: projectPath, data_dir: ".crush" }]);
  return { dbPath, env: { CRUSH_GLOBAL_DATA: dataDir } };
}

describe("crush collector, records and odd times", () => {
  it("gives stats one record per session tree, summing as its sessions do", async () => {
    const { env } = createProject(T, T + 60);
    const result = await collect(undefined, env);
    expect(result.records).toEqual([
      expect.objectContaining({ sessionId: ROOT, inputTokens: 500, outputTokens: 40, timestamp: (T + 60) * 1000 }),
    ]);
    expect(result.sessions.map((session) => [session.inputTokens, session.outputTokens])).toEqual([[500, 40]]);
  });

  it("dates a tree whose times are unusable by the database's mtime, and never fails on them", async () => {
    const { dbPath, env } = createProject(-5, 1e20);
    const mtime = new Date("2026-03-03T00:00:00.000Z");
    utimesSync(dbPath, mtime, mtime);
    const result = await collect(undefined, env);
    expect(result.malformedLines).toBe(0);
    expect(result.undatedRecords).toBe(1);
    expect(result.sessions[0]).toMatchObject({ endedAt: mtime.toISOString(), inputTokens: 500 });
    expect(result.records.map((record) => record.timestamp)).toEqual([mtime.getTime()]);
  });
});
