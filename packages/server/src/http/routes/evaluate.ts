import { type EvaluationResponse, evaluationRequestSchema } from "@modu-arena/core";
import { Hono } from "hono";
import type { AppContext } from "../../context";
import { type SubmitEvaluationOptions, submitEvaluation } from "../../services/evaluation/submit-evaluation";
import { type ApiKeyVariables, apiKeyAuth } from "../middleware/api-key-auth";
import { enforceRateLimit } from "../middleware/rate-limit";
import { parseJsonBody } from "../parse-json";
import { getRequestOrigin } from "../request-origin";

/**
 * `POST /api/v1/evaluate`: signed like sessions. The daily evaluation quota is taken only by valid
 * requests, after validation and before the (possibly paid) scorer runs.
 */
export function createEvaluateRoutes(ctx: AppContext, options: SubmitEvaluationOptions = {}) {
  const app = new Hono<{ Variables: ApiKeyVariables }>();
  app.post("/evaluate", apiKeyAuth(ctx, { signed: true }), async (c) => {
    const request = parseJsonBody(c.get("rawBody"), evaluationRequestSchema);
    const user = c.get("user");
    const origin = getRequestOrigin(c, ctx.config);
    await enforceRateLimit(ctx, "evaluation", `user:${user.id}`, origin, user.id);
    const evaluation = await submitEvaluation(ctx, { userId: user.id, request, origin }, options);
    return c.json({ success: true, evaluation } satisfies EvaluationResponse, 201);
  });
  return app;
}
