import { getTool, isToolType } from "@modu-arena/core";

/** Display name of a tool id, or the id itself for one this build does not know. */
export function toolName(id: string): string {
  return isToolType(id) ? getTool(id).displayName : id;
}
