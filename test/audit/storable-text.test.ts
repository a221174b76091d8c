import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storableColumn, storableJson, storableText } from "../../src/audit/storable-text.js";

describe("storableText", () => {
  it.each([
    ["keeps ordinary text, emoji included", "deploy 🚀 ok", "deploy 🚀 ok"],
    ["replaces NUL", "a\u0000b", "a\ufffdb"],
    ["replaces a lone high surrogate", "a\ud83d", "a\ufffd"],
    ["replaces a lone low surrogate", "\ude80b", "\ufffdb"],
    ["leaves non-strings alone", 42, 42],
    ["leaves null alone", null, null],
  ] as const)("%s", (_label, input, expected) => {
    expect(storableText(input)).toBe(expected);
  });
});

// The rule as one pattern over the whole text: what storableText must give for every string.
const byPattern = (text: string) => text.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

describe("storableText against the one-pattern rule", () => {
  // Code units dense in what matters: NUL, both surrogate halves alone and paired, and ordinary text.
  const unit = fc.constantFrom("a", " ", "\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude80", "\ud83d\ude80", "é", "\ufffd");
  const dense = fc.array(unit, { maxLength: 40 }).map((units) => units.join(""));

  it("gives the same text on strings dense in NULs and surrogates", () => {
    fc.assert(
      fc.property(dense, (text) => {
        expect(storableText(text)).toBe(byPattern(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it("gives the same text on arbitrary code units", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        expect(storableText(text)).toBe(byPattern(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives the same text when the one bad unit sits deep in a long, otherwise clean text", () => {
    const clean = "x".repeat(20_000);
    for (const bad of ["\u0000", "\ud800", "\udfff"]) {
      const text = `${clean}${bad}${clean}`;
      expect(storableText(text)).toBe(byPattern(text));
      expect(storableText(text)).not.toBe(text);
    }
  });
});

describe("storableJson", () => {
  it("cleans strings at any depth, in keys too, and keeps everything else", () => {
    const when = new Date("2025-03-01T00:00:00.000Z");
    expect(storableJson({ "k\u0000": ["x\ud800", { n: 1, b: true, z: null }], when })).toEqual({
      "k\ufffd": ["x\ufffd", { n: 1, b: true, z: null }],
      when: "2025-03-01T00:00:00.000Z",
    });
  });
});

describe("storableColumn", () => {
  const when = new Date("2025-03-01T00:00:00.000Z");
  it.each([
    ["plain JSON", { b: [1, "x", null, true], a: { c: "é 😀" } }],
    ["NUL in a value", { a: ["x\u0000y"] }],
    ["NUL in a key", { "k\u0000": 1 }],
    ["a lone surrogate", ["\ud83d", "\ude80"]],
    ["a paired surrogate", "😀"],
    ["the six characters \\u0000 as text", "\\u0000 and \\ud800"],
    ["a date", { when }],
    ["undefined members", { u: undefined, list: [undefined, 1] }],
  ] as const)("writes %s as the storable copy's JSON", (_label, value) => {
    expect(storableColumn(value, true)).toBe(JSON.stringify(storableJson(value)));
  });

  it("writes the storable copy when the value holds what a database cannot store", () => {
    expect(storableColumn({ "k\u0000": "\ud800" }, true)).toBe('{"k\ufffd":"\ufffd"}');
  });
});
