import { randomBytes } from "node:crypto";
import { userStats, users } from "@modu-arena/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { generateApiKey } from "../api-keys/api-key-crypto";
import { recordAuditEvent } from "../audit/record-audit-event";

export const usernameSchema = z
  .string()
  .min(3)
  .max(39)
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/,
    "letters, digits, - and _ only, starting and ending with a letter or digit",
  );

export interface CreateUserInput {
  username: string;
  email?: string;
  displayName?: string;
  passwordHash?: string;
  privacyMode?: boolean;
  /** Issue an API key now (operators, tests, CLI signup). */
  withApiKey?: boolean;
}

export interface CreatedUser {
  id: string;
  username: string;
  apiKey: string | null;
}

/** Creates a user and an empty user_stats row; the API key is returned once and only its hash is kept. */
export async function createUser(ctx: AppContext, input: CreateUserInput): Promise<CreatedUser> {
  const username = usernameSchema.safeParse(input.username);
  if (!username.success) {
    throw new ServiceError("invalid_request", "Invalid username", { username: username.error.issues[0]!.message });
  }
  const key = input.withApiKey === false ? null : generateApiKey();
  const now = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        username: username.data,
        email: input.email?.toLowerCase() ?? null,
        displayName: input.displayName ?? null,
        passwordHash: input.passwordHash ?? null,
        privacyMode: input.privacyMode ?? false,
        userSalt: randomBytes(16).toString("hex"),
        apiKeyHash: key?.hash ?? null,
        apiKeyPrefix: key?.prefix ?? null,
        apiKeyCreatedAt: key ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: users.id, username: users.username });
    if (!row) return null;
    await tx.insert(userStats).values({ userId: row.id, updatedAt: now });
    return row;
  });
  if (!created) {
    const taken = await ctx.db.execute(
      sql`SELECT 1 FROM users WHERE lower(username) = lower(${username.data}) LIMIT 1`,
    );
    const field = (taken as unknown as { rows: unknown[] }).rows.length > 0 ? "username" : "email";
    throw new ServiceError("conflict", `That ${field} is already taken`, { [field]: "already taken" });
  }
  await recordAuditEvent(ctx, { userId: created.id, eventType: "user_created" });
  if (key)
    await recordAuditEvent(ctx, {
      userId: created.id,
      eventType: "api_key_generated",
      details: { prefix: key.prefix },
    });
  return { id: created.id, username: created.username, apiKey: key?.apiKey ?? null };
}
