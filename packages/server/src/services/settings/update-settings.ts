import { users } from "@modu-arena/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { AppContext, RequestOrigin } from "../../context";
import { ServiceError } from "../../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { parseInput } from "../auth/parse-input";
import { isReservedName, RESERVED_NAME_MESSAGE } from "../auth/reserved-names";
import { MAIL_LOCALES } from "../mail/templates";
import { type Account, getAccount } from "../me/get-account";
import { invalidateRankingCaches } from "../rankings/invalidate-ranking-caches";
import { isZoneKnownToDatabase, timeZoneSchema } from "./timezone";

export const SUPPORTED_LOCALES = MAIL_LOCALES;

export const updateSettingsInputSchema = z
  .object({
    /** An empty string or null clears it (the username is shown instead). */
    displayName: z
      .string()
      .trim()
      .max(64)
      .regex(/^[^\p{Cc}\p{Cf}]*$/u, "control characters are not allowed")
      // A shown name like `anonymous-1a2b3c4d` or `admin` would pass for a private user or the operators.
      .refine((name) => !isReservedName(name), RESERVED_NAME_MESSAGE)
      .nullable()
      .optional()
      .transform((value) => (value === undefined ? undefined : value || null)),
    privacyMode: z.boolean().optional(),
    timezone: timeZoneSchema.optional(),
    locale: z.enum(SUPPORTED_LOCALES).optional(),
  })
  .strict();
export type UpdateSettingsInput = z.input<typeof updateSettingsInputSchema>;

/** Changes the user's own settings; a privacy change is audited and takes effect on every public page now. */
export async function updateSettings(
  ctx: AppContext,
  userId: string,
  input: UpdateSettingsInput,
  origin?: RequestOrigin,
): Promise<Account> {
  const changes = parseInput(updateSettingsInputSchema, input, "Invalid settings");
  const [before] = await ctx.db
    .select({ privacyMode: users.privacyMode, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, userId));
  if (!before) throw new ServiceError("not_found", "Account not found");
  if (changes.timezone && !(await isZoneKnownToDatabase(ctx, changes.timezone))) {
    throw new ServiceError("invalid_request", "Invalid settings", { timezone: "not a known IANA time zone" });
  }
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(set).length > 0) {
    await ctx.db
      .update(users)
      .set({ ...set, updatedAt: ctx.clock.now() })
      .where(eq(users.id, userId));
  }
  const privacyChanged = changes.privacyMode !== undefined && changes.privacyMode !== before.privacyMode;
  if (privacyChanged) {
    await ctx.apiKeyCache.forgetUser(userId); // the key's cached user carries the privacy flag
    await recordAuditEvent(ctx, {
      userId,
      eventType: "privacy_mode_changed",
      origin,
      details: { from: before.privacyMode, to: changes.privacyMode },
    });
  }
  // Cached boards and profiles carry names: drop them so the change shows at once.
  if (privacyChanged || (changes.displayName !== undefined && changes.displayName !== before.displayName)) {
    await invalidateRankingCaches(ctx);
  }
  return getAccount(ctx, userId);
}
