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

  it("does not read the layout past a damaged timestamp that holds another type", () => {
    const damaged = Buffer.from(
      '{"timestamp":"a"type":"response_item"b","type":"event_msg","payload":{"type":"token_count","info":null}}',
    );
    expect(isWorthParsingByNeedles(damaged)).toBe(false);
    expect(isRolloutLineWorthParsing(damaged)).toBe(false);
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
      // 23–24 characters: escapes and quotes where the layout expects the fixed-form timestamp.
      timestamp: fc.oneof(fc.constant(AT), fc.string({ maxLength: 30 }), fc.string({ minLength: 23, maxLength: 24 })),
      type,
      payload: fc.record({ type: kind, text: fc.string({ maxLength: 200 }) }),
    });
    // A raw quote or backslash dropped into the timestamp (a damaged line) must not fool the layout reading.
    const damage = fc.option(fc.tuple(fc.integer({ min: 14, max: 37 }), fc.constantFrom(0x22, 0x5c)));
    fc.assert(
      fc.property(record, damage, (value, damaged) => {
        const bytes = line(value);
        if (damaged && bytes.length > damaged[0]) bytes[damaged[0]] = damaged[1];
        expect(isRolloutLineWorthParsing(bytes)).toBe(isWorthParsingByNeedles(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
