import type { AppContext, Config } from "@modu-arena/server";

/** What server.ts shares with the pages: the one AppContext (one database handle per data folder). */
export interface SharedRuntime {
  ctx: AppContext;
  config: Config;
}

declare global {
  var __moduArena: SharedRuntime | undefined;
}

/** The AppContext that server.ts created. Next bundles server code separately, so it travels on globalThis. */
export function getAppContext(): AppContext {
  const shared = globalThis.__moduArena;
  if (!shared) throw new Error("Modu-Arena context missing: start the app with `npm start` (apps/web/server.ts)");
  return shared.ctx;
}
