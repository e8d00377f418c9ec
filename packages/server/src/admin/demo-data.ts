import { type SessionInput, TOOLS } from "@modu-arena/core";

/** A small deterministic PRNG (mulberry32), so the demo is the same on every machine. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MODELS: Record<string, string[]> = {
  "claude-code": ["claude-sonnet-4-20250514", "claude-opus-4-1-20250805", "claude-3-5-haiku-20241022"],
  "claude-desktop": ["claude-sonnet-4-20250514", "claude-opus-4-1-20250805"],
  opencode: ["claude-sonnet-4-20250514", "gpt-5", "gemini-2.5-pro"],
  gemini: ["gemini-2.5-pro", "gemini-2.5-flash"],
  codex: ["gpt-5-codex", "gpt-5", "o4-mini"],
  crush: ["claude-sonnet-4-20250514", "gpt-5-mini"],
};

const TOOL_NAMES = ["Read", "Grep", "Glob", "Edit", "MultiEdit", "Write", "Bash", "Task", "WebFetch"];

const NAME_PARTS = [
  [
    "neo",
    "byte",
    "lambda",
    "rust",
    "kim",
    "park",
    "lee",
    "yuki",
    "chen",
    "wang",
    "maria",
    "dev",
    "code",
    "pixel",
    "async",
  ],
  ["coder", "smith", "hacker", "builder", "ops", "ninja", "kun", "chan", "dev", "wizard", "pilot", "crafter", "labs"],
];

export interface DemoUser {
  username: string;
  privacyMode: boolean;
  sessions: SessionInput[];
}

/**
 * Demo users with 90 days of realistic activity: each has favourite tools and models, a daily
 * activity probability, and sessions whose sizes follow their own scale.
 */
export function generateDemoUsers(count: number, now: Date, seed = 42): DemoUser[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const users: DemoUser[] = [];
  for (let index = 0; index < count; index++) {
    const username = `${pick(NAME_PARTS[0]!)}-${pick(NAME_PARTS[1]!)}-${index + 1}`;
    const favourites = [...TOOLS].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 3));
    const activity = 0.15 + random() * 0.8;
    const scale = 10 ** (3.5 + random() * 2);
    const sessions: SessionInput[] = [];
    for (let daysAgo = 88; daysAgo >= 0; daysAgo--) {
      if (random() > activity) continue;
      const perDay = 1 + Math.floor(random() * 3);
      for (let n = 0; n < perDay; n++) {
        const tool = pick(favourites).id;
        const start = new Date(
          now.getTime() - daysAgo * 86_400_000 - Math.floor(random() * 10 * 3_600_000) - 3_600_000,
        );
        const durationSeconds = 120 + Math.floor(random() * 5_400);
        const end = new Date(Math.min(start.getTime() + durationSeconds * 1000, now.getTime()));
        const input = Math.round(scale * (0.3 + random() * 2));
        const usage: Record<string, number> = {};
        for (const name of TOOL_NAMES) if (random() < 0.6) usage[name] = 1 + Math.floor(random() * 20);
        sessions.push({
          toolType: tool,
          sessionId: `demo-${index}-${daysAgo}-${n}`,
          startedAt: start.toISOString(),
          endedAt: end.toISOString(),
          inputTokens: input,
          outputTokens: Math.round(input * (0.1 + random() * 0.9)),
          cacheCreationTokens: tool.startsWith("claude") ? Math.round(input * random()) : 0,
          cacheReadTokens: Math.round(input * random() * 4),
          modelName: pick(MODELS[tool]!),
          durationSeconds: Math.round((end.getTime() - start.getTime()) / 1000),
          turnCount: 1 + Math.floor(random() * 40),
          toolUsage: usage,
          codeMetrics: {
            linesAdded: Math.floor(random() * 400),
            linesDeleted: Math.floor(random() * 200),
            filesModified: Math.floor(random() * 12),
            filesCreated: Math.floor(random() * 4),
          },
        });
      }
    }
    users.push({ username, privacyMode: random() < 0.1, sessions });
  }
  return users;
}
