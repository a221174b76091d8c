// Seeded random branch patterns and names for the differential and pattern tests: real-looking
// ones, ones built from every character the glob and regex engines treat specially, and names made
// to match a pattern so that matches are as common as misses.

export interface Random {
  next(): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  int(max: number): number;
}

/** mulberry32: small, fast and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: (items) => items[int(items.length)], chance: (p) => next() < p };
}

/** Patterns a user writes, and the ones that exposed WASM/OPA differences. */
export const CURATED_PATTERNS = [
  "main",
  "develop",
  "release/*",
  "release/**",
  "hotfix/*-?",
  "feature/[a-z]*",
  "v[0-9].*",
  "[!x]*",
  "{main,release/*}",
  "{main,master}",
  "**",
  "*",
  "?",
  "**/*-v1",
  "release/v?.?",
  "team/*/fix-*",
  "fix(ui)",
  "feature/(*)",
  "$",
  "^main$",
  "a|b",
  "a+",
  "a.b",
  "{main",
  "{a,{b,c}}",
  "{a,b}}",
  "}",
  "a}",
  "]",
  "a]",
  ",",
  "a,b",
  "[z-a]",
  "[]",
  "[!]",
  "[a-]",
  "[-a]",
  "[]-a]",
  "[[]",
  "\\*",
  "{a,[bc]}",
  "{,}",
  "{}",
  "[é-ÿ]*",
  "😀/*",
  "日本/*",
  "ma\u0000in",
  "ma\nin",
  "**\n",
  "*a*b*c*",
  "**a**b**",
  "{a,b}{c,d}*",
  "[.-0]",
  "*{*,x}",
  "{x,*}*",
  "a*{b,*}",
  "{**,x}",
] as const;

const LITERALS = ["a", "b", "x", "main", "release", "fix", "ui", "v1", "1", "é", "😀", "e\u0301", "/", "/", ".", "-", "_"];
const SPECIALS = ["(", ")", "$", "{", "}", "[", "]", "*", "?", "**", "\\", ".", "+", "^", "|", ",", "!", "-", "/"];
const GLOB_PARTS = ["*", "**", "?", "[a-c]", "[!a]", "[ab]", "[!/]", "[é-ÿ]", "{a,b}", "{main,x/*}", "{a,[bc]}", "{}", "{,}", "{*,x}", "{x,**}"];

export function randomPattern(random: Random): string {
  if (random.chance(0.3)) return random.pick(CURATED_PATTERNS);
  const parts = Array.from({ length: 1 + random.int(5) }, () => {
    const roll = random.next();
    if (roll < 0.45) return random.pick(LITERALS);
    return roll < 0.75 ? random.pick(GLOB_PARTS) : random.pick(SPECIALS);
  });
  return parts.join("");
}

const NAME_PARTS = [
  "a",
  "b",
  "c",
  "x",
  "main",
  "release",
  "fixui",
  "fix(ui)",
  "/",
  "é",
  "ñ",
  "😀",
  "e\u0301",
  ".",
  "-",
  "(",
  ")",
  "$",
  "]",
  "}",
  ",",
  "*",
  "?",
  "!",
];

/** A name that often matches `pattern`: its glob parts filled in, or a near miss, or noise. */
export function nameFor(pattern: string, random: Random): string {
  const roll = random.next();
  if (roll < 0.5) return instantiate(pattern, random, ["", "ab", "x", "1.2", "a/b"]);
  // Every `*` given a "/": only a pattern whose stars may cross "/" matches it.
  if (roll < 0.6) return instantiate(pattern, random, ["a/b"]);
  if (roll < 0.7) return pattern.replace(/[()$^|+\\]/g, "");
  if (roll < 0.8) return random.pick(["fixui", "feature/x", "main", "release/1.2", "release/1.2/x", "a/b", "x".repeat(300)]);
  if (roll < 0.88) return random.pick(["main\u0000", "a\nb", "", " ", "main\ud800", "\udc00", "a\u007f", "\ufffd"]);
  return Array.from({ length: random.int(6) }, () => random.pick(NAME_PARTS)).join("");
}

// Replaces each glob part by something it matches (or, for classes, sometimes something it does not).
function instantiate(pattern: string, random: Random, starFills: string[]): string {
  return pattern
    .replace(/\{([^{}]*)\}/g, (_, body: string) => random.pick(body.split(",")))
    .replace(/\[(!?)([^\]]+)\]/g, (_, not: string, body: string) =>
      not ? random.pick(["z", "/", "a"]) : body.length === 3 && body[1] === "-" ? body[0] : random.pick(Array.from(body)),
    )
    .replace(/\*\*/g, () => random.pick(["", "x/y", "a", "a/b/c"]))
    .replace(/\*/g, () => random.pick(starFills))
    .replace(/\?/g, () => random.pick(["q", "é", "/", "1"]));
}
