import type { AppContext } from "../../context";
import type { MailMessage } from "./mailer";

export interface OutboxMessage extends MailMessage {
  sentAt: string;
}

const OUTBOX_PREFIX = "dev-outbox:";
const OUTBOX_TTL_SECONDS = 3_600;
const MAX_MESSAGES_PER_ADDRESS = 20;

const keyOf = (email: string) => `${OUTBOX_PREFIX}${email.trim().toLowerCase()}`;

/** Kept in the cache so every instance sharing Redis (and every module copy) sees the same outbox. */
export async function appendToOutbox(ctx: Pick<AppContext, "cache">, message: MailMessage): Promise<void> {
  const existing = (await ctx.cache.get<OutboxMessage[]>(keyOf(message.to))) ?? [];
  const next = [...existing, { ...message, sentAt: new Date().toISOString() }].slice(-MAX_MESSAGES_PER_ADDRESS);
  await ctx.cache.set(keyOf(message.to), next, OUTBOX_TTL_SECONDS);
}

/** Messages sent to an address, oldest first. */
export async function readOutbox(ctx: Pick<AppContext, "cache">, email: string): Promise<OutboxMessage[]> {
  return (await ctx.cache.get<OutboxMessage[]>(keyOf(email))) ?? [];
}

/** The most recent 6-digit code sent to an address, for browser and API tests. */
export async function readLatestCode(ctx: Pick<AppContext, "cache">, email: string): Promise<string | null> {
  const messages = await readOutbox(ctx, email);
  for (let index = messages.length - 1; index >= 0; index--) {
    const match = /\b(\d{6})\b/.exec(messages[index]!.text);
    if (match) return match[1]!;
  }
  return null;
}
