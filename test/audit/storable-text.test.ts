import { describe, expect, it } from "vitest";
import { storableJson, storableText } from "../../src/audit/storable-text.js";

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

describe("storableJson", () => {
  it("cleans strings at any depth, in keys too, and keeps everything else", () => {
    const when = new Date("2025-03-01T00:00:00.000Z");
    expect(storableJson({ "k\u0000": ["x\ud800", { n: 1, b: true, z: null }], when })).toEqual({
      "k\ufffd": ["x\ufffd", { n: 1, b: true, z: null }],
      when: "2025-03-01T00:00:00.000Z",
    });
  });
});
