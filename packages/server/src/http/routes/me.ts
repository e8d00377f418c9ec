import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../../context";
import { revokeApiKey, rotateApiKey } from "../../services/api-keys/rotate-api-key";
import { getDashboard } from "../../services/dashboard/get-dashboard";
import { listSessionPage } from "../../services/dashboard/queries/list-session-page";
import { changePassword, changePasswordInputSchema } from "../../services/me/change-password";
import { deleteAccount, deleteAccountInputSchema } from "../../services/me/delete-account";
import { getAccount } from "../../services/me/get-account";
import { updateSettings, updateSettingsInputSchema } from "../../services/settings/update-settings";
import { exportUserData } from "../../services/takeout/export-user-data";
import { CSV_DATASETS, exportToCsv } from "../../services/takeout/to-csv";
import { enforceRateLimit } from "../middleware/rate-limit";
import { clearSessionCookie, type SessionVariables, sessionAuth, setSessionCookie } from "../middleware/session-auth";
import { parseJsonBody, parseValue } from "../parse-json";
import { getRequestOrigin } from "../request-origin";

const statsQuerySchema = z.object({ tz: z.string().max(64).optional() });
const sessionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(256).optional(),
});
const exportQuerySchema = z.object({
  format: z.enum(["json", "csv"]).default("json"),
  dataset: z.enum(CSV_DATASETS).default("sessions"),
});

/**
 * The signed-in user's own account and data. No route takes a user id: every one acts on the session's
 * user, so another user's data is out of reach by construction.
 */
export function createMeRoutes(ctx: AppContext) {
  const app = new Hono<{ Variables: SessionVariables }>();
  app.use("*", sessionAuth(ctx));
  app.use("*", async (c, next) => {
    const user = c.get("sessionUser");
    await enforceRateLimit(ctx, "api", `me:${user.id}`, getRequestOrigin(c, ctx.config), user.id);
    await next();
  });
  const origin = (c: Parameters<typeof getRequestOrigin>[0]) => getRequestOrigin(c, ctx.config);

  app.get("/", async (c) => c.json(await getAccount(ctx, c.get("sessionUser").id)));

  app.get("/stats", async (c) => {
    const { tz } = parseValue(c.req.query(), statsQuerySchema, "Invalid query parameters");
    return c.json(await getDashboard(ctx, c.get("sessionUser").id, { timezone: tz }));
  });

  app.get("/sessions", async (c) => {
    const query = parseValue(c.req.query(), sessionsQuerySchema, "Invalid query parameters");
    return c.json(await listSessionPage(ctx, c.get("sessionUser").id, query));
  });

  app.patch("/settings", async (c) => {
    const user = c.get("sessionUser");
    await enforceRateLimit(ctx, "sensitive", `settings:${user.id}`, origin(c), user.id);
    const input = parseJsonBody(await c.req.text(), updateSettingsInputSchema);
    return c.json(await updateSettings(ctx, user.id, input, origin(c)));
  });

  app.post("/password", async (c) => {
    const input = parseJsonBody(await c.req.text(), changePasswordInputSchema);
    const session = await changePassword(ctx, c.get("sessionUser").id, input, origin(c));
    setSessionCookie(c, ctx, session);
    return c.json({ ok: true, token: session.token, expiresAt: session.expiresAt });
  });

  app.post("/api-key", async (c) => {
    const user = c.get("sessionUser");
    await enforceRateLimit(ctx, "sensitive", `api-key:${user.id}`, origin(c), user.id);
    const key = await rotateApiKey(ctx, user.id, origin(c));
    return c.json({ apiKey: key.apiKey, prefix: key.prefix }, 201);
  });

  app.delete("/api-key", async (c) => {
    const user = c.get("sessionUser");
    await enforceRateLimit(ctx, "sensitive", `api-key:${user.id}`, origin(c), user.id);
    await revokeApiKey(ctx, user.id, origin(c));
    return c.json({ ok: true });
  });

  app.delete("/", async (c) => {
    const input = parseJsonBody((await c.req.text()) || "{}", deleteAccountInputSchema);
    await deleteAccount(ctx, c.get("sessionUser").id, input, origin(c));
    clearSessionCookie(c, ctx);
    return c.json({ ok: true });
  });

  app.get("/export", async (c) => {
    const { format, dataset } = parseValue(c.req.query(), exportQuerySchema, "Invalid query parameters");
    const data = await exportUserData(ctx, c.get("sessionUser").id);
    const stamp = data.exportedAt.slice(0, 10);
    if (format === "csv") {
      c.header("Content-Disposition", `attachment; filename="modu-arena-${dataset}-${stamp}.csv"`);
      return c.body(exportToCsv(data, dataset), 200, { "Content-Type": "text/csv; charset=utf-8" });
    }
    c.header("Content-Disposition", `attachment; filename="modu-arena-takeout-${stamp}.json"`);
    return c.json(data);
  });

  return app;
}
