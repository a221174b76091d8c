import { describe, expect, it } from "vitest";
import { policyInputJson } from "../../src/policy/encode-policy-input.js";

describe("policyInputJson", () => {
  it.each([
    ["a lone high surrogate in a value", { ref: "main\uD800x" }, '{"ref":"main\uFFFDx"}'],
    ["a lone low surrogate in a key", { "k\uDC00": 1 }, '{"k\uFFFD":1}'],
    ["a surrogate pair", { ref: "🚀" }, '{"ref":"🚀"}'],
    ["a backslash followed by ud800 as text", { ref: "\\ud800" }, '{"ref":"\\\\ud800"}'],
    ["no surrogate at all", { ref: "main", n: [0, null, ""] }, '{"ref":"main","n":[0,null,""]}'],
  ])("writes %s as OPA reads it", (_, input, expected) => {
    expect(policyInputJson(input, "The input")).toBe(expected);
  });

  it("keeps no input apart from null", () => {
    expect(policyInputJson(undefined, "The input")).toBeUndefined();
    expect(policyInputJson(null, "The input")).toBe("null");
  });

  it("names the input it cannot serialise", () => {
    expect(() => policyInputJson({ n: 1n }, "The deploy policy input")).toThrow(/^The deploy policy input is not JSON-serialisable: /);
  });
});
