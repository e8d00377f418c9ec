import { describe } from "vitest";
import { defineAgentSuite } from "./agent-suite";
import { AGENTS } from "./agents";
import { runOpencode } from "./run-opencode";

describe(`OpenCode ${AGENTS.opencode.version} on the stub model`, () => {
  defineAgentSuite({
    spec: AGENTS.opencode,
    tool: "opencode",
    run: runOpencode,
    // Each new session makes a title call first (not stored). A: title + reply. B: title + glob + answer,
    // then `run --continue` adds one reply.
    expectedCalls: { A: 2, B: 4 },
  });
});
