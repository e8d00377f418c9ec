import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../src/http/app";
import { createTestContext, type TestContext } from "../src/testing/test-context";

const tarball = Buffer.from("not really gzip, but bytes the server must hand out unchanged");
const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;

let packageDir: string;
let test: TestContext;
let app: Hono;

function writeRelease(dir: string, version: string, bytes: Buffer): void {
  writeFileSync(path.join(dir, `modu-arena-cli-${version}.tgz`), bytes);
  // What pack.mjs writes; the integrity in it is not trusted by the server.
  writeFileSync(path.join(dir, "latest.json"), JSON.stringify({ version, file: "ignored", integrity: "sha512-x" }));
}

beforeAll(async () => {
  packageDir = mkdtempSync(path.join(tmpdir(), "modu-cli-pack-"));
  writeRelease(packageDir, "1.2.3", tarball);
  test = await createTestContext({ env: { CLI_PACKAGE_DIR: packageDir } });
  app = createApiApp(test.ctx);
});
afterAll(async () => {
  await test.close();
  rmSync(packageDir, { recursive: true, force: true });
});

describe("GET /cli/*", () => {
  it("names the version on offer with its tarball's URL on the request's origin and its sha512 integrity", async () => {
    const response = await app.request("http://board.example:8080/cli/latest.json");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      version: "1.2.3",
      tarball: "http://board.example:8080/cli/modu-arena-cli-1.2.3.tgz",
      integrity,
    });
  });

  it("serves the tarball byte for byte, immutable, as gzip, with its integrity in a header", async () => {
    const response = await app.request("http://board.example/cli/modu-arena-cli-1.2.3.tgz");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/gzip");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("x-integrity")).toBe(integrity);
    expect(Buffer.from(await response.arrayBuffer()).equals(tarball)).toBe(true);
    const again = await app.request("http://board.example/cli/modu-arena-cli-1.2.3.tgz", {
      headers: { "If-None-Match": response.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("answers 404 JSON for a version it does not offer", async () => {
    const response = await app.request("http://board.example/cli/modu-arena-cli-1.2.2.tgz");
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("uses PUBLIC_URL for the tarball's address when set", async () => {
    const behindProxy = await createTestContext({
      env: { CLI_PACKAGE_DIR: packageDir, PUBLIC_URL: "https://arena.example.org/" },
    });
    try {
      const response = await createApiApp(behindProxy.ctx).request("http://127.0.0.1:3000/cli/latest.json");
      expect(((await response.json()) as { tarball: string }).tarball).toBe(
        "https://arena.example.org/cli/modu-arena-cli-1.2.3.tgz",
      );
    } finally {
      await behindProxy.close();
    }
  });

  it("behind a trusted proxy without PUBLIC_URL, names the address the proxy was asked for", async () => {
    const proxied = await createTestContext({ env: { CLI_PACKAGE_DIR: packageDir, TRUST_PROXY: "true" } });
    try {
      const response = await createApiApp(proxied.ctx).request("http://127.0.0.1:3001/cli/latest.json", {
        headers: { "X-Forwarded-Host": "arena.example.org", "X-Forwarded-Proto": "https" },
      });
      expect(((await response.json()) as { tarball: string }).tarball).toBe(
        "https://arena.example.org/cli/modu-arena-cli-1.2.3.tgz",
      );
      // Untrusted, the same headers change nothing.
      const direct = await app.request("http://127.0.0.1:3001/cli/latest.json", {
        headers: { "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" },
      });
      expect(((await direct.json()) as { tarball: string }).tarball).toBe(
        "http://127.0.0.1:3001/cli/modu-arena-cli-1.2.3.tgz",
      );
    } finally {
      await proxied.close();
    }
  });

  it("answers 404 JSON when nothing is packed", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "modu-cli-empty-"));
    const bare = await createTestContext({ env: { CLI_PACKAGE_DIR: empty } });
    try {
      const response = await createApiApp(bare.ctx).request("http://board.example/cli/latest.json");
      expect(response.status).toBe(404);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("offers a newly packed version without a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "modu-cli-repack-"));
    const repacked = await createTestContext({ env: { CLI_PACKAGE_DIR: dir } });
    try {
      writeRelease(dir, "1.0.0", tarball);
      const repackedApp = createApiApp(repacked.ctx);
      expect(
        ((await (await repackedApp.request("http://x/cli/latest.json")).json()) as { version: string }).version,
      ).toBe("1.0.0");
      writeRelease(dir, "1.1.0", Buffer.from("newer"));
      expect(
        ((await (await repackedApp.request("http://x/cli/latest.json")).json()) as { version: string }).version,
      ).toBe("1.1.0");
    } finally {
      await repacked.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
