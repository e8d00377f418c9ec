import { createHash } from "node:crypto";
import { type EvaluationResponse, evaluationRequestSchema } from "@modu-arena/core";
import { Hono } from "hono";
import type { AppContext } from "../../context";
import { toEvaluationResult } from "../../services/evaluation/evaluation-result";
import { type SubmitEvaluationOptions, submitEvaluation } from "../../services/evaluation/submit-evaluation";
import { findReplayedEvaluation } from "../../services/evaluation/write-evaluation";
import { type ApiKeyVariables, apiKeyAuth } from "../middleware/api-key-auth";
import { enforceRateLimit } from "../middleware/rate-limit";
import { parseJsonBody } from "../parse-json";
import { getRequestOrigin } from "../request-origin";

/**
 * `POST /api/v1/evaluate`: signed like sessions. The daily evaluation quota is taken only by valid
 * requests, after validation and before the (possibly paid) scorer runs. The same signed body sent again
 * within the signature window is answered 200 with the first evaluation (replayed: true), recording nothing.
 */
export function createEvaluateRoutes(ctx: AppContext, options: SubmitEvaluationOptions = {}) {
  const app = new Hono<{ Variables: ApiKeyVariables }>();
  app.post("/evaluate", apiKeyAuth(ctx, { signed: true }), async (c) => {
    const request = parseJsonBody(c.get("rawBody"), evaluationRequestSchema);
    const user = c.get("user");
    const origin = getRequestOrigin(c, ctx.config);
    const requestSha256 = createHash("sha256").update(c.get("rawBody")).digest("hex");
    // A replay takes no quota: it is answered from the first evaluation without scoring again.
    const first = await findReplayedEvaluation(ctx.db, user.id, requestSha256, ctx.clock.now());
    if (first)
      return c.json({ success: true, evaluation: toEvaluationResult(first, true) } satisfies EvaluationResponse);
    await enforceRateLimit(ctx, "evaluation", `user:${user.id}`, origin, user.id);
    const evaluation = await submitEvaluation(ctx, { userId: user.id, request, requestSha256, origin }, options);
    return c.json({ success: true, evaluation } satisfies EvaluationResponse, evaluation.replayed ? 200 : 201);
  });
  return app;
}
