import { describeZodError } from "@modu-arena/core";
import type { z } from "zod";
import { ServiceError } from "../../errors";

/** Services validate their own input too: pages call them directly, without the HTTP edge. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, message = "Invalid input"): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ServiceError("invalid_request", message, describeZodError(result.error));
  return result.data;
}
