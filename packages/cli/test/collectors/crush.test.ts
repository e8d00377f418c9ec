import { beforeEach, describe, expect, it } from "vitest";
import { crushCollector } from "../../src/collectors/crush";
import { hashProjectPath } from "../../src/collectors/project-id";
import { CrushDbFixture, finishPart, toolCallPart } from "../fixtures/crush-store";
import { useCollectorFixture, writeText } from "../fixtures/fixture-home";

const ROOT = "4c1d0000-0000-4000-8000-000000000001";
const CHILD = "9e7f0000-0000-4000-8000-000000000002";
const T = 1772441100;

const { fixture, collect } = useCollectorFixture(crushCollector);
let projectPath: string;
beforeEach(() => {
  projectPath = fixture.path("src", "demo");
});

function registerProjects(dir: string, projects: { path: string; data_dir: string }[]) {
  writeText(
    `${dir}/projects.json`,
    JSON.stringify({ projects: projects.map((p) => ({ ...p, last_accessed: "2026-03-02T10:00:00Z" })) }),
  );
}

/** The spec's §5.4 rows: a root session and its sub-agent child (whose cost is inside the root's). */
function createSpecDb(): CrushDbFixture {
  const store = new CrushDbFixture(`${projectPath}/.crush/crush.db`);
  store.session({ id: ROOT, prompt: 61234, completion: 812, cost: 0.0931, created: T, updated: T + 1200 });
  store.session({
    id: CHILD,
    parent: ROOT,
    prompt: 20311,
    completion: 420,
    cost: 0.0102,
    created: T + 300,
    updated: T + 400,
  });
  store.message("m-1", ROOT, "user", [{ type: "text", data: { text: "add a health check" } }], T + 5);
  const edit = toolCallPart("edit", { file_path: "main.go", old_string: "a\nb", new_string: "a\nc\nd" });
  store.message(
    "m-88",
    ROOT,
    "assistant",
    [toolCallPart("view", { file_path: "main.go" }), edit, finishPart(T + 20)],
    T + 10,
  );
  store.message("m-c1", CHILD, "user", [{ type: "text", data: { text: "find routes" } }], T + 301);
  store.message("m-c2", CHILD, "assistant", [toolCallPart("grep", { pattern: "route" })], T + 310, "claude-haiku-4-5");
  return store;
}

describe("crush collector", () => {
  it("reports each root session with its children rolled in, found through projects.json", async () => {
    createSpecDb().close();
    registerProjects(fixture.path(".local", "share", "crush"), [
      { path: projectPath, data_dir: `${projectPath}/.crush` },
      { path: fixture.path("gone"), data_dir: fixture.path("gone", ".crush") },
    ]);
    const result = await collect();
    expect(result.sessions).toHaveLength(1);
    const session = result.sessions[0]!;
    expect(session.sessionId).toBe(ROOT);
    expect([session.inputTokens, session.outputTokens, session.cacheReadTokens ?? 0]).toEqual([
      61234 + 20311,
      812 + 420,
      0,
    ]);
    expect(session.toolUsage).toEqual({ view: 1, edit: 1, grep: 1 });
    expect(session.turnCount).toBe(1);
    expect(session.modelName).toBe("gpt-5.2");
    // edit a,b -> a,c,d: b deleted, c and d added
    expect(session.codeMetrics).toEqual({ linesAdded: 2, linesDeleted: 1, filesModified: 1, filesCreated: 0 });
    expect(session.startedAt).toBe(new Date(T * 1000).toISOString());
    expect(session.endedAt).toBe(new Date((T + 1200) * 1000).toISOString());
    expect(session.anonymousProjectId).toBe(hashProjectPath(projectPath, "test-salt"));
    expect(result.filesRead).toBe(1);
  });

  it("keeps totals monotone when Crush overwrites them with a smaller last step, and resends only touched roots", async () => {
    const store = createSpecDb();
    const dataDir = fixture.path("crush-data");
    registerProjects(dataDir, [{ path: projectPath, data_dir: ".crush" }]);
    const env = { CRUSH_GLOBAL_DATA: dataDir };
    const first = await collect(undefined, env);
    expect(first.sessions[0]!.inputTokens).toBe(81545);
    expect((await collect(first.state, env)).sessions).toEqual([]);
    // next step of the root: Crush stores that step's (smaller) numbers
    store.session({ id: ROOT, prompt: 900, completion: 30, cost: 0.1, created: T, updated: T + 2000 });
    const second = await collect(first.state, env);
    expect([second.sessions[0]!.inputTokens, second.sessions[0]!.outputTokens]).toEqual([81545, 1232]);
    // a later, larger step raises the root's peak; a touched child reports its root
    store.session({ id: ROOT, prompt: 70000, completion: 2000, cost: 0.2, created: T, updated: T + 3000 });
    store.message("m-c3", CHILD, "assistant", [toolCallPart("bash", { command: "ls" })], T + 3001);
    const third = await collect(second.state, env);
    expect(third.sessions.map((session) => session.sessionId)).toEqual([ROOT]);
    expect([third.sessions[0]!.inputTokens, third.sessions[0]!.outputTokens]).toEqual([70000 + 20311, 2000 + 420]);
    expect(third.sessions[0]!.toolUsage).toEqual({ view: 1, edit: 1, grep: 1, bash: 1 });
    store.close();
  });

  it("honours XDG_DATA_HOME and detects nothing without a registry", async () => {
    createSpecDb().close();
    expect(crushCollector.detect(fixture.environment())).toBe(false);
    registerProjects(fixture.path("xdg", "crush"), [{ path: projectPath, data_dir: `${projectPath}/.crush` }]);
    expect(crushCollector.detect(fixture.environment({ XDG_DATA_HOME: fixture.path("xdg") }))).toBe(true);
    const result = await collect(undefined, { XDG_DATA_HOME: fixture.path("xdg") });
    expect(result.sessions.map((session) => session.sessionId)).toEqual([ROOT]);
  });
});
