/**
 * Writes docs/openapi.json from the zod contracts in packages/core, so the API reference cannot drift
 * from what the server validates. Usage: npx tsx scripts/generate-openapi.ts
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import * as core from "@modu-arena/core";
import { z } from "zod";

const json = (schema: z.ZodType, io: "input" | "output" = "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any" });
const error = { description: "Error", content: { "application/json": { schema: json(core.errorBodySchema) } } };
const ok = (schema: z.ZodType) => ({ description: "OK", content: { "application/json": { schema: json(schema) } } });
const signedHeaders = ["X-API-Key", "X-Timestamp", "X-Signature"].map((name) => ({
  name,
  in: "header",
  required: true,
  schema: { type: "string" },
}));
const keyHeader = [{ name: "X-API-Key", in: "header", required: true, schema: { type: "string" } }];
const body = (schema: z.ZodType) => ({
  required: true,
  content: { "application/json": { schema: json(schema, "input") } },
});

const document = {
  openapi: "3.1.0",
  info: {
    title: "Modu-Arena API",
    version: "1.0.0",
    description:
      "POST requests of /api/v1 are signed: X-Signature = hex HMAC-SHA256(api key, X-Timestamp + ':' + raw body), X-Timestamp in Unix seconds within ±300 s of the server.",
  },
  paths: {
    "/api/v1/status": { get: { summary: "Service status", responses: { 200: ok(core.statusResponseSchema) } } },
    "/api/v1/verify": {
      get: {
        summary: "Verify an API key",
        parameters: keyHeader,
        responses: { 200: ok(core.verifyResponseSchema), 401: error },
      },
    },
    "/api/v1/sessions": {
      post: {
        summary: "Record one session (cumulative totals; resend-safe)",
        parameters: signedHeaders,
        requestBody: body(core.sessionInputSchema),
        responses: {
          200: ok(core.sessionResponseSchema),
          400: error,
          401: error,
          409: error,
          413: error,
          415: error,
          429: error,
          503: error,
        },
      },
    },
    "/api/v1/sessions/batch": {
      post: {
        summary: "Record up to 100 sessions, one result per item",
        parameters: signedHeaders,
        requestBody: body(core.batchInputSchema),
        responses: { 200: ok(core.batchResponseSchema), 400: error, 401: error, 413: error, 429: error, 503: error },
      },
    },
    "/api/v1/evaluate": {
      post: {
        summary: "Evaluate a project from its README (README only, never code)",
        parameters: signedHeaders,
        requestBody: body(core.evaluationRequestSchema),
        responses: { 200: ok(core.evaluationResponseSchema), 400: error, 401: error, 429: error },
      },
    },
    "/api/v1/rank": {
      get: {
        summary: "The caller's rankings",
        parameters: keyHeader,
        responses: { 200: ok(core.rankResponseSchema), 401: error },
      },
    },
    "/api/leaderboard": {
      get: {
        summary: "A page of the current ranking of a period (privacy-mode users anonymised)",
        parameters: [
          { name: "period", in: "query", schema: { type: "string", enum: core.PERIOD_TYPES, default: "weekly" } },
          {
            name: "sort",
            in: "query",
            description:
              "Order of the page, highest first; ties keep the ranking order. `rank` stays the ranking position.",
            schema: { type: "string", enum: core.LEADERBOARD_SORTS, default: "score" },
          },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
          { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
        ],
        responses: { 200: ok(core.leaderboardResponseSchema), 400: error, 429: error },
      },
    },
    "/api/stats": {
      get: {
        summary: "The leaderboard's global numbers (aggregates only)",
        responses: { 200: ok(core.globalStatsSchema), 429: error },
      },
    },
  },
};

const target = path.resolve(import.meta.dirname, "../docs/openapi.json");
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${target}`);
