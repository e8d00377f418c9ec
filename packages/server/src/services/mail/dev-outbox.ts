import type { AppContext } from "../../context";
import type { MailMessage } from "./mailer";

export interface OutboxMessage extends MailMessage {
  sentAt: string;
}

type OutboxContext = Pick<AppContext, "cache" | "config">;

const OUTBOX_PREFIX = "dev-outbox:";
const OUTBOX_TTL_SECONDS = 3_600;
const MAX_MESSAGES_PER_ADDRESS = 20;

// This process's copy, per config object: a cache miss (Redis not ready or down) must not lose a code.
const localOutboxes = new WeakMap<object, Map<string, OutboxMessage[]>>();

const keyOf = (email: string) => email.trim().toLowerCase();

function localOutbox(ctx: OutboxContext): Map<string, OutboxMessage[]> {
  let outbox = localOutboxes.get(ctx.config);
  if (!outbox) {
    outbox = new Map();
    localOutboxes.set(ctx.config, outbox);
  }
  return outbox;
}

/** Kept in the cache too, so every instance sharing Redis sees the same outbox. */
export async function appendToOutbox(ctx: OutboxContext, message: MailMessage): Promise<void> {
  const key = keyOf(message.to);
  const existing = await readOutbox(ctx, key);
  const next = [...existing, { ...message, sentAt: new Date().toISOString() }].slice(-MAX_MESSAGES_PER_ADDRESS);
  localOutbox(ctx).set(key, next);
  await ctx.cache.set(`${OUTBOX_PREFIX}${key}`, next, OUTBOX_TTL_SECONDS);
}

/** Messages sent to an address, oldest first (the longer of the shared and the local copy). */
export async function readOutbox(ctx: OutboxContext, email: string): Promise<OutboxMessage[]> {
  const shared = (await ctx.cache.get<OutboxMessage[]>(`${OUTBOX_PREFIX}${keyOf(email)}`)) ?? [];
  const local = localOutbox(ctx).get(keyOf(email)) ?? [];
  return shared.length >= local.length ? shared : local;
}

/** The most recent 6-digit code sent to an address, for browser and API tests. */
export async function readLatestCode(ctx: OutboxContext, email: string): Promise<string | null> {
  const messages = await readOutbox(ctx, email);
  for (let index = messages.length - 1; index >= 0; index--) {
    const match = /\b(\d{6})\b/.exec(messages[index]!.text);
    if (match) return match[1]!;
  }
  return null;
}
