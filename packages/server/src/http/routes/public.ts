import { leaderboardQuerySchema } from "@modu-arena/core";
import { Hono } from "hono";
import type { AppContext } from "../../context";
import { getLeaderboard } from "../../services/leaderboard/get-leaderboard";
import { getPublicProfile } from "../../services/profiles/get-public-profile";
import { rateLimitByIp } from "../middleware/rate-limit";
import { parseValue } from "../parse-json";

/** Reads anyone may make: the leaderboard and public profiles (privacy mode honoured by the services). */
export function createPublicRoutes(ctx: AppContext) {
  const app = new Hono();
  // Per route, not `use("*")`: a sub-app's wildcard middleware would also cover /api/v1 once mounted at /api.
  const limit = rateLimitByIp(ctx, "public");

  app.get("/leaderboard", limit, async (c) => {
    const query = parseValue(c.req.query(), leaderboardQuerySchema, "Invalid query parameters");
    c.header("Cache-Control", "public, max-age=30");
    return c.json(await getLeaderboard(ctx, query));
  });

  app.get("/users/:username", limit, async (c) => c.json(await getPublicProfile(ctx, c.req.param("username"))));

  return app;
}
