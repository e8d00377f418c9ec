import { z } from "zod";
import { MAIL_LOCALES } from "../mail/templates";
import { usernameSchema } from "../users/create-user";
import { passwordSchema } from "./password-hash";
import { isReservedName, RESERVED_NAME_MESSAGE } from "./reserved-names";

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email("not a valid email address"))
  .transform((email) => email.toLowerCase());

export const sendCodeInputSchema = z.object({ email: emailSchema, locale: z.enum(MAIL_LOCALES).optional() });
export type SendCodeInput = z.input<typeof sendCodeInputSchema>;

export const verifyCodeInputSchema = z.object({
  email: emailSchema,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "6 digits"),
});
export type VerifyCodeInput = z.input<typeof verifyCodeInputSchema>;

export const registerInputSchema = z.object({
  signupToken: z.string().min(1).max(4096),
  username: usernameSchema.refine((name) => !isReservedName(name), RESERVED_NAME_MESSAGE),
  password: passwordSchema,
});
export type RegisterInput = z.input<typeof registerInputSchema>;

export const loginInputSchema = z.object({
  // No username or address has control characters; PostgreSQL text cannot even hold NUL.
  login: z
    .string()
    .trim()
    .min(1, "required")
    .max(254)
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, "control characters and lone surrogates are not allowed"),
  password: z.string().min(1, "required").max(128),
});
export type LoginInput = z.input<typeof loginInputSchema>;

/** The account fields every auth answer carries (never the hash, never the key). */
export interface AuthUser {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  privacyMode: boolean;
}
