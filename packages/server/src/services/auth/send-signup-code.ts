import type { AppContext, RequestOrigin } from "../../context";
import { buildAlreadyRegisteredMessage, buildCodeMessage } from "../mail/templates";
import { type SendCodeInput, sendCodeInputSchema } from "./auth-schemas";
import { issueEmailCode, type SendCodeResult } from "./email-code";
import { parseInput } from "./parse-input";

export type { SendCodeResult } from "./email-code";

/**
 * Emails a 6-digit signup code. The answer is the same whether or not the address is registered:
 * a registered one gets a notice instead of a code.
 */
export async function sendSignupCode(
  ctx: AppContext,
  input: SendCodeInput,
  origin?: RequestOrigin,
): Promise<SendCodeResult> {
  const { email, locale } = parseInput(sendCodeInputSchema, input);
  return issueEmailCode(ctx, email, "signup", origin, (code, registered) =>
    registered
      ? buildAlreadyRegisteredMessage(email, locale)
      : buildCodeMessage(email, code, ctx.config.otp.ttlSeconds, locale),
  );
}
