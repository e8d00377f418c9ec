import type { AppContext, RequestOrigin } from "../../context";
import { type VerifyCodeInput, verifyCodeInputSchema } from "./auth-schemas";
import { consumeEmailCode } from "./email-code";
import { parseInput } from "./parse-input";
import { issueSignupToken } from "./session-token";

export interface VerifyCodeResult {
  signupToken: string;
  email: string;
  expiresAt: string;
}

/** Exchanges a correct signup code for a short-lived signup token (see `consumeEmailCode` for the limits). */
export async function verifySignupCode(
  ctx: AppContext,
  input: VerifyCodeInput,
  origin?: RequestOrigin,
): Promise<VerifyCodeResult> {
  const { email, code } = parseInput(verifyCodeInputSchema, input);
  const verificationId = await consumeEmailCode(ctx, email, code, "signup", origin);
  const issued = await issueSignupToken(ctx, email, verificationId);
  return { signupToken: issued.token, email, expiresAt: issued.expiresAt.toISOString() };
}
