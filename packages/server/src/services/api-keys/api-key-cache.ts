import type { ApiKeyUser } from "./authenticate-api-key";

/**
 * Recently authenticated keys, by SHA-256 hash, so a busy client's requests skip the user lookup.
 * Rotation, revocation, deletion and settings changes forget the user at once in this process and,
 * through `broadcast` (Redis pub/sub when configured), in the others; entries also expire after
 * `ttlMs`, which bounds how long a missed broadcast can keep an old key working elsewhere.
 */
export interface ApiKeyCache {
  get(hash: string): ApiKeyUser | undefined;
  set(hash: string, user: ApiKeyUser): void;
  /** Drops the user here and tells the other instances to do the same. */
  forgetUser(userId: string): Promise<void>;
  /** Drops the user here only (an instance that received the broadcast). */
  forgetUserLocally(userId: string): void;
}

export interface ApiKeyCacheOptions {
  ttlMs: number;
  now: () => number;
  maxEntries?: number;
  broadcast?: (userId: string) => Promise<void>;
}

export function createApiKeyCache(options: ApiKeyCacheOptions): ApiKeyCache {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { user: ApiKeyUser; expiresAt: number }>();
  const hashByUser = new Map<string, string>();
  const forgetUserLocally = (userId: string) => {
    const hash = hashByUser.get(userId);
    if (hash !== undefined) entries.delete(hash);
    hashByUser.delete(userId);
  };
  return {
    get(hash) {
      if (options.ttlMs <= 0) return undefined;
      const entry = entries.get(hash);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.now()) {
        entries.delete(hash);
        return undefined;
      }
      return entry.user;
    },
    set(hash, user) {
      if (options.ttlMs <= 0) return;
      forgetUserLocally(user.id);
      if (entries.size >= maxEntries) {
        const oldest = entries.entries().next().value;
        if (oldest) {
          entries.delete(oldest[0]);
          hashByUser.delete(oldest[1].user.id);
        }
      }
      entries.set(hash, { user, expiresAt: options.now() + options.ttlMs });
      hashByUser.set(user.id, hash);
    },
    async forgetUser(userId) {
      forgetUserLocally(userId);
      await options.broadcast?.(userId).catch(() => {});
    },
    forgetUserLocally,
  };
}
