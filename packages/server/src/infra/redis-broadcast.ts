import type { Redis } from "ioredis";
import type { Logger } from "./logger";

export interface Broadcast {
  publish(message: string): Promise<void>;
  close(): void;
}

/**
 * One pub/sub channel between the instances sharing a Redis (e.g. "forget this user's cached key").
 * Best effort: while Redis is down, messages are lost, so whatever relies on it must also expire.
 */
export function createRedisBroadcast(
  redis: Redis,
  channel: string,
  onMessage: (message: string) => void,
  log: Logger,
): Broadcast {
  const subscriber = redis.duplicate({ enableOfflineQueue: true });
  subscriber.on("error", () => {});
  subscriber.subscribe(channel).catch((error) => log.warn("redis subscribe failed", { channel, error: String(error) }));
  subscriber.on("message", (received, message) => {
    if (received === channel) onMessage(message);
  });
  return {
    async publish(message) {
      await redis.publish(channel, message);
    },
    close: () => subscriber.disconnect(),
  };
}
