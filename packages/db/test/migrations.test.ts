import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../../core/src/tools";
import type { DbHandle } from "../src/client";
import { queryRows } from "../src/rows";
import { toolTypes, users } from "../src/schema/index";
import { createTestDb } from "../src/testing";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

describe("migrations", () => {
  it("create the ten tables of the product description", async () => {
    const rows = await queryRows<{ table_name: string }>(
      handle.db,
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual([
      "daily_user_stats",
      "email_verifications",
      "project_evaluations",
      "rankings",
      "security_audit_log",
      "sessions",
      "token_usage",
      "tool_types",
      "user_stats",
      "users",
    ]);
  });

  it("insert the six tool types, matching the core registry", async () => {
    const rows = await handle.db.select().from(toolTypes).orderBy(toolTypes.sortOrder);
    expect(rows.map((row) => [row.id, row.displayName, row.color])).toEqual(
      TOOLS.map((tool) => [tool.id, tool.displayName, tool.color]),
    );
  });

  it("are idempotent when run again", async () => {
    await handle.migrate();
    const rows = await handle.db.select().from(toolTypes);
    expect(rows).toHaveLength(6);
  });

  it("make usernames unique regardless of case", async () => {
    await handle.db.insert(users).values({ username: "Alice", userSalt: "s1" });
    await expect(handle.db.insert(users).values({ username: "alice", userSalt: "s2" })).rejects.toThrow();
  });
});
