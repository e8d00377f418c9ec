import { describeZodError } from "@modu-arena/core";
import type { z } from "zod";
import { ServiceError } from "../errors";

/** Parses a raw body with a schema; bad JSON and bad fields become 400s naming what is wrong. */
export function parseJsonBody<T extends z.ZodType>(raw: string, schema: T): z.output<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ServiceError("invalid_json", "The request body is not valid JSON");
  }
  return parseValue(value, schema, "Invalid request body");
}

export function parseValue<T extends z.ZodType>(value: unknown, schema: T, message: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ServiceError("invalid_request", message, describeZodError(result.error));
  return result.data;
}
