import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DirListingCache, findFiles } from "../../src/collectors/find-files";
import { createTempHome, removeTempHome } from "../helpers/fixture-home";

const OPTIONS = { maxDepth: 3, acceptFile: (_: string, name: string) => name.endsWith(".jsonl") };
/** A folder last changed long before it is listed: its listing is trusted while its stats do not move. */
const LONG_AGO = new Date("2026-01-01T00:00:00.000Z");

describe("findFiles with a listing cache", () => {
  let root: string;
  beforeEach(() => {
    root = createTempHome("modu-find-");
  });
  afterEach(() => removeTempHome(root));

  const write = (path: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), "{}\n");
  };
  const age = (...dirs: string[]) => {
    for (const dir of dirs) utimesSync(join(root, dir), LONG_AGO, LONG_AGO);
  };
  /** One run: lists with the previous run's cache, returns the files (relative, sorted) and the new cache. */
  const run = (previous: DirListingCache["next"] = {}) => {
    const cache: DirListingCache = { previous, next: {} };
    const files = findFiles(root, OPTIONS, cache).map((path) => path.slice(root.length + 1).replaceAll("\\", "/"));
    return { files: files.sort(), listings: cache.next };
  };

  it("finds what a plain walk finds, and keeps finding added, removed and nested files", () => {
    write("a/one.jsonl");
    write("a/skip.txt");
    write("b/s1/two.jsonl");
    age("", "a", "b", "b/s1");
    const first = run();
    expect(first.files).toEqual(["a/one.jsonl", "b/s1/two.jsonl"]);
    expect(first.files).toEqual(
      findFiles(root, OPTIONS)
        .map((p) => p.slice(root.length + 1))
        .sort(),
    );
    expect(Object.keys(first.listings).sort()).toEqual([root, join(root, "a"), join(root, "b"), join(root, "b/s1")]);

    write("a/three.jsonl"); // a's mtime moves
    write("c/s2/four.jsonl"); // a new folder: the root's mtime moves
    rmSync(join(root, "b/s1/two.jsonl")); // s1's mtime moves
    expect(run(first.listings).files).toEqual(["a/one.jsonl", "a/three.jsonl", "c/s2/four.jsonl"]);
  });

  it("does not read a folder again while its stats stay those of a settled listing", () => {
    write("a/one.jsonl");
    age("", "a");
    const first = run();
    // A change that leaves the folder's mtime where it was (as the same clock tick would) is not seen:
    // proof that the cached listing stood in for a read.
    write("a/hidden.jsonl");
    age("a");
    expect(run(first.listings).files).toEqual(["a/one.jsonl"]);
    // The same change, once the folder's mtime moves, is.
    utimesSync(join(root, "a"), new Date(), new Date());
    expect(run(first.listings).files).toEqual(["a/hidden.jsonl", "a/one.jsonl"]);
  });

  it("does not trust a listing taken within the file system's clock granularity of the folder's change", () => {
    write("a/one.jsonl");
    const mtime = statSync(join(root, "a")).mtime;
    const first = run(); // listed just after the change: not settled
    write("a/two.jsonl");
    utimesSync(join(root, "a"), mtime, mtime); // same tick as the listed change
    expect(run(first.listings).files).toEqual(["a/one.jsonl", "a/two.jsonl"]);
  });

  it("drops a cached listing of the wrong shape, and reads a folder replaced under the same name", () => {
    write("a/one.jsonl");
    age("", "a");
    const first = run();
    const key = join(root, "a");
    const broken = { ...first.listings, [key]: { ...first.listings[key]!, files: "one.jsonl" } };
    expect(run(broken as unknown as DirListingCache["next"]).files).toEqual(["a/one.jsonl"]);
    rmSync(key, { recursive: true });
    write("a/other.jsonl");
    expect(run(first.listings).files).toEqual(["a/other.jsonl"]);
  });
});
