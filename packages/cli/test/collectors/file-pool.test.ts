import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mapInParallel } from "../../src/collectors/file-pool";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "modu-pool-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const square = (value: number) => value * value;

describe("file pool", () => {
  it("shares tasks with workers and returns results in task order", async () => {
    const worker = join(dir, "square-worker.mjs");
    // The worker side of the protocol, as serveTasks answers: { id, result }.
    writeFileSync(
      worker,
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", ({ id, task }) => parentPort.postMessage({ id, result: task * task + 0 }));\n',
    );
    const tasks = Array.from({ length: 40 }, (_, index) => index);
    expect(await mapInParallel(tasks, 2, pathToFileURL(worker), square)).toEqual(tasks.map(square));
  });

  it("when the workers die, the main thread does their tasks", async () => {
    const dying = join(dir, "dying-worker.mjs");
    writeFileSync(dying, "process.exit(3);\n");
    const tasks = Array.from({ length: 9 }, (_, index) => index + 1);
    expect(await mapInParallel(tasks, 3, pathToFileURL(dying), square)).toEqual(tasks.map(square));
  });
});
