import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../messages");
const LOCALES = ["en", "ko", "ja", "zh"] as const;

type Tree = { [key: string]: string | Tree };

function load(locale: string): Tree {
  return JSON.parse(readFileSync(path.join(dir, `${locale}.json`), "utf8")) as Tree;
}

/** Every leaf as "a.b.c" → value. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

/** ICU argument names used in a message ({name}, {count, plural, …}). */
function argumentsOf(message: string): string[] {
  return [...message.matchAll(/\{\s*([a-zA-Z_]\w*)\s*[,}]/g)].map((match) => match[1]!).sort();
}

const english = flatten(load("en"));

describe("messages", () => {
  it("has English strings", () => {
    expect(english.size).toBeGreaterThan(100);
  });

  for (const locale of LOCALES.filter((code) => code !== "en")) {
    describe(locale, () => {
      const messages = flatten(load(locale));

      it("has every English key and no extra ones", () => {
        const missing = [...english.keys()].filter((key) => !messages.has(key));
        const extra = [...messages.keys()].filter((key) => !english.has(key));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      });

      it("uses the same ICU arguments as English", () => {
        const mismatched = [...english].filter(
          ([key, value]) => messages.has(key) && argumentsOf(messages.get(key)!).join() !== argumentsOf(value).join(),
        );
        expect(mismatched.map(([key]) => key)).toEqual([]);
      });

      it("is translated, not copied", () => {
        const copied = [...english].filter(([key, value]) => messages.get(key) === value && /[a-z]{4,}/.test(value));
        // A few product words stay the same (Token, JSON); most of the catalogue must differ.
        expect(copied.length / english.size).toBeLessThan(0.05);
      });

      it("has no empty strings", () => {
        expect([...messages].filter(([, value]) => value.trim() === "").map(([key]) => key)).toEqual([]);
      });
    });
  }
});
