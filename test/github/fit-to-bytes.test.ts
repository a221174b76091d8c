import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitToBytes } from "../../src/github/fit-to-bytes.js";

const NOTE_START = "\n\n---\n_Truncated";

describe("fitToBytes", () => {
  it.each([
    ["ascii", "a".repeat(100)],
    ["two-byte characters", "é".repeat(100)],
    ["four-byte characters", "🚀".repeat(100)],
  ])("leaves %s that fit exactly untouched", (_label, text) => {
    expect(fitToBytes(text, Buffer.byteLength(text))).toBe(text);
  });

  it("says how long the full text was when it cuts", () => {
    const out = fitToBytes("x".repeat(70_000), 65_535);
    expect(out).toMatch(/full text is 70,000 bytes and GitHub shows at most 65,535/);
  });

  it("never exceeds the byte limit, never splits a character and keeps a prefix of the original", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 600 }), fc.integer({ min: 120, max: 700 }), (text, max) => {
        const out = fitToBytes(text, max);
        expect(Buffer.byteLength(out, "utf8")).toBeLessThanOrEqual(max);
        if (out === text) return;
        const kept = out.slice(0, out.indexOf(NOTE_START));
        expect(text.startsWith(kept)).toBe(true);
      }),
    );
  });
});
