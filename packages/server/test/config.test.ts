import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../src/config/config";
import { parseEnv } from "../src/config/env";

describe("configuration", () => {
  it("needs nothing on the embedded database: secrets are generated once, kept private and reused", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "modu-config-"));
    const first = buildConfig(parseEnv({ DATA_DIR: dataDir }));
    expect(first.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.port).toBe(3000);
    expect(first.rateLimits).toEqual({
      apiPerMinute: 100,
      authPerMinute: 10,
      sensitivePerMinute: 30,
      publicPerMinute: 200,
      evaluationsPerDay: first.rateLimits.evaluationsPerDay,
    });
    const file = path.join(dataDir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = buildConfig(parseEnv({ DATA_DIR: dataDir }));
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.cronSecret).toBe(first.cronSecret);
    expect(JSON.parse(readFileSync(file, "utf8")).jwtSecret).toBe(first.jwtSecret);
  });

  it("requires real secrets with DATABASE_URL, naming the missing ones", () => {
    expect(() => buildConfig(parseEnv({ DATABASE_URL: "postgres://x@127.0.0.1/db" }))).toThrow(
      /JWT_SECRET and CRON_SECRET must be set/,
    );
    expect(() =>
      buildConfig(
        parseEnv({ DATABASE_URL: "postgres://x@127.0.0.1/db", JWT_SECRET: "short", CRON_SECRET: "c".repeat(40) }),
      ),
    ).toThrow(/JWT_SECRET must be at least 32 characters/);
  });

  it("refuses invalid values with the variable's name", () => {
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => parseEnv({ RATE_LIMIT_API_PER_MIN: "-1" })).toThrow(/RATE_LIMIT_API_PER_MIN/);
    expect(parseEnv({ RATE_LIMIT_API_PER_MIN: "500" }).RATE_LIMIT_API_PER_MIN).toBe(500);
  });
});
