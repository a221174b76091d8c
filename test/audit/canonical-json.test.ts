// canonicalJson is written as loops for speed; it must write exactly what the first, plainly written
// version wrote (kept here as the reference), or every chained row would stop verifying.
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/audit/chain.js";

function referenceCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => referenceCanonicalJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${referenceCanonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

// A small seeded generator, so a failure names a value that can be replayed.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const KEYS = ["a", "B", "b", "_", "10", "2", "é", "😀", "\ud800", "z z", '"q"', "", "__proto__x", "aa"];
const STRINGS = ["", "x", "é", "\u0000", "😀", "\ud83d", 'say "hi"\n', "\\u0000", "12345678901234567890"];
const NUMBERS = [0, -0, 1, -1.5, 1e21, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY, 2.71];

function value(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const kind = Math.floor(next() * (depth > 3 ? 5 : 8));
  if (kind === 0) return pick(STRINGS);
  if (kind === 1) return pick(NUMBERS);
  if (kind === 2) return pick([true, false, null, undefined]);
  if (kind === 3) return new Date(Math.floor(next() * 2e12));
  if (kind === 4) return pick(KEYS);
  if (kind === 5) return Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth + 1));
  if (kind === 6) {
    const sparse: unknown[] = [];
    sparse[Math.floor(next() * 4)] = value(next, depth + 1);
    return sparse;
  }
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [pick(KEYS), value(next, depth + 1)]));
}

describe("canonicalJson against the reference", () => {
  it("writes the same text for 2,000 random values", () => {
    const next = random(11);
    for (let i = 0; i < 2_000; i++) {
      const item = value(next, 0);
      expect(canonicalJson(item), `value ${i}`).toBe(referenceCanonicalJson(item));
    }
  });

  it("writes the same text for values read back from JSON, as rows are hashed", () => {
    const next = random(7);
    for (let i = 0; i < 500; i++) {
      const item = JSON.parse(JSON.stringify({ row: value(next, 0) }));
      expect(canonicalJson(item)).toBe(referenceCanonicalJson(item));
    }
  });

  it("writes the same text for undefined, functions and holes", () => {
    const sparse: unknown[] = [undefined, () => 1];
    sparse[3] = 2;
    for (const item of [undefined, sparse, { f: () => 1, u: undefined, n: null }]) {
      expect(canonicalJson(item)).toBe(referenceCanonicalJson(item));
    }
  });
});
