import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRolloutLineWorthParsing, isWorthParsingByNeedles } from "../../src/collectors/codex-line-filter";
import { functionCall, sessionMeta, tokenCount, turnContext, userMessage } from "../fixtures/codex-records";

const line = (record: unknown) => Buffer.from(JSON.stringify(record));
const AT = "2026-03-23T09:01:02.812Z";

describe("codex line pre-filter", () => {
  it("parses what the collector reads and skips outputs, reasoning and messages", () => {
    for (const wanted of [
      sessionMeta("0197f3a2-0000-7000-8000-000000000001", AT),
      turnContext(AT),
      userMessage(AT),
      tokenCount(AT, [10, 5, 3, 1]),
      tokenCount(AT, null),
      functionCall(AT, "apply_patch", { input: "*** Begin Patch" }),
      { timestamp: AT, type: "response_item", payload: { type: "custom_tool_call", name: "x", input: "" } },
      { timestamp: AT, type: "response_item", payload: { type: "local_shell_call", action: {} } },
    ]) {
      expect(isRolloutLineWorthParsing(line(wanted))).toBe(true);
    }
    for (const skipped of [
      { timestamp: AT, type: "response_item", payload: { type: "function_call_output", output: "token_count" } },
      { timestamp: AT, type: "response_item", payload: { type: "reasoning", summary: [] } },
      { timestamp: AT, type: "event_msg", payload: { type: "agent_message", message: "user_message" } },
    ]) {
      expect(isRolloutLineWorthParsing(line(skipped))).toBe(false);
    }
  });

  it("decides Codex's own layout exactly as the general rule does", () => {
    const kind = fc.oneof(
      fc.constantFrom("function_call", "custom_tool_call", "local_shell_call", "function_call_output", "token_count"),
      fc.constantFrom("user_message", "agent_message", "reasoning", "message", "turn_aborted"),
      fc.string({ maxLength: 12 }),
    );
    const type = fc.oneof(
      fc.constantFrom("response_item", "event_msg", "session_meta", "turn_context", "compacted"),
      fc.string({ maxLength: 14 }),
    );
    const record = fc.record({
      timestamp: fc.oneof(fc.constant(AT), fc.string({ maxLength: 30 })),
      type,
      payload: fc.record({ type: kind, text: fc.string({ maxLength: 200 }) }),
    });
    fc.assert(
      fc.property(record, (value) => {
        const bytes = line(value);
        expect(isRolloutLineWorthParsing(bytes)).toBe(isWorthParsingByNeedles(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
