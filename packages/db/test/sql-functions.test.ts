import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../src/client";
import { queryRows } from "../src/rows";
import { createTestDb } from "../src/testing";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle.close());

async function value(query: ReturnType<typeof sql>): Promise<unknown> {
  const [row] = await queryRows<{ v: unknown }>(handle.db, sql`SELECT ${query} AS v`);
  return row!.v;
}

describe("the jsonb sum functions behind the ingest aggregates", () => {
  it("add two objects key by key, keeping keys found in only one", async () => {
    expect(await value(sql`modu_jsonb_sum('{"a":1,"b":2.5}'::jsonb, '{"b":3,"c":4}'::jsonb)`)).toEqual({
      a: 1,
      b: 5.5,
      c: 4,
    });
  });

  it("treat NULL and empty objects as zero", async () => {
    expect(await value(sql`modu_jsonb_sum(NULL, '{"a":7}'::jsonb)`)).toEqual({ a: 7 });
    expect(await value(sql`modu_jsonb_sum('{"a":7}'::jsonb, NULL)`)).toEqual({ a: 7 });
    expect(await value(sql`modu_jsonb_sum(NULL, NULL)`)).toEqual({});
  });

  it("keep bigint-sized token counts exact", async () => {
    expect(await value(sql`modu_jsonb_sum('{"m":9007199254740000}'::jsonb, '{"m":991}'::jsonb) ->> 'm'`)).toBe(
      "9007199254740991",
    );
  });

  it("sum one level down for per-tool {tokens, sessions} objects", async () => {
    expect(
      await value(
        sql`modu_jsonb_sum_nested('{"codex":{"tokens":10,"sessions":1}}'::jsonb,
              '{"codex":{"tokens":5,"sessions":0},"gemini":{"tokens":2,"sessions":1}}'::jsonb)`,
      ),
    ).toEqual({ codex: { tokens: 15, sessions: 1 }, gemini: { tokens: 2, sessions: 1 } });
  });

  it("aggregate a column of objects with modu_jsonb_agg_sum", async () => {
    expect(
      await value(
        sql`(SELECT modu_jsonb_agg_sum(x) FROM (VALUES ('{"a":1}'::jsonb), ('{"a":2,"b":1}'::jsonb), (NULL)) AS t(x))`,
      ),
    ).toEqual({ a: 3, b: 1 });
  });
});

describe("modu_uuid_v7", () => {
  it("makes version-7 UUIDs that sort by creation time", async () => {
    const rows = await queryRows<{ id: string; at: string }>(
      handle.db,
      sql`SELECT modu_uuid_v7()::text AS id, (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS at
          FROM generate_series(1, 3)`,
    );
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const millis = Number.parseInt(row.id.replaceAll("-", "").slice(0, 12), 16);
      expect(Math.abs(millis - Number(row.at))).toBeLessThan(1000);
    }
    const [first] = rows;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [later] = await queryRows<{ id: string }>(handle.db, sql`SELECT modu_uuid_v7()::text AS id`);
    expect(later!.id > first!.id).toBe(true);
  });
});
