import type { Db } from "@modu-arena/db";
import type { Config } from "./config/config";
import type { Cache } from "./infra/cache";
import type { Clock } from "./infra/clock";
import type { Logger } from "./infra/logger";
import type { RateLimiters } from "./infra/rate-limit";
import type { ApiKeyCache } from "./services/api-keys/api-key-cache";

/** What every service and route receives: nothing global, everything injected. */
export interface AppContext {
  db: Db;
  clock: Clock;
  cache: Cache;
  rateLimiters: RateLimiters;
  apiKeyCache: ApiKeyCache;
  config: Config;
  log: Logger;
}

/** Who made a request, for audit rows. */
export interface RequestOrigin {
  ipAddress?: string | null;
  userAgent?: string | null;
}
