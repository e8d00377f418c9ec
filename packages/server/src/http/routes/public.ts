import { leaderboardQuerySchema } from "@modu-arena/core";
import { Hono } from "hono";
import type { AppContext } from "../../context";
import { ServiceError } from "../../errors";
import { getGlobalStats } from "../../services/dashboard/get-global-stats";
import { getLeaderboard } from "../../services/leaderboard/get-leaderboard";
import { getPublicProfile } from "../../services/profiles/get-public-profile";
import { usernameSchema } from "../../services/users/create-user";
import { rateLimitByIp } from "../middleware/rate-limit";
import { parseValue } from "../parse-json";

/** Reads anyone may make: leaderboard, global stats, public profiles (privacy mode honoured by the services). */
export function createPublicRoutes(ctx: AppContext) {
  const app = new Hono();
  // Per route, not `use("*")`: a sub-app's wildcard middleware would also cover /api/v1 once mounted at /api.
  const limit = rateLimitByIp(ctx, "public");

  app.get("/leaderboard", limit, async (c) => {
    const query = parseValue(c.req.query(), leaderboardQuerySchema, "Invalid query parameters");
    c.header("Cache-Control", "public, max-age=30");
    return c.json(await getLeaderboard(ctx, query));
  });

  app.get("/stats", limit, async (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(await getGlobalStats(ctx));
  });

  app.get("/users/:username", limit, async (c) => {
    // A name that cannot be a username (NUL, symbols, length) is simply nobody: 404 without a query.
    const username = usernameSchema.safeParse(c.req.param("username"));
    if (!username.success) throw new ServiceError("not_found", "User not found");
    return c.json(await getPublicProfile(ctx, username.data));
  });

  return app;
}
