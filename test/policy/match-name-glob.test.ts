import { describe, expect, it } from "vitest";
import { matchesNameGlob } from "../../src/policy/match-name-glob.js";

describe("matchesNameGlob", () => {
  it.each([
    ["prod*", "production", true],
    ["prod*", "Production", true],
    ["PROD", "prod", true],
    ["prod*", "staging", false],
    ["*", "team/api", false],
    ["**", "team/api", true],
    ["team/*", "team/api", true],
    ["svc-?", "svc-a", true],
    ["svc-?", "svc-ab", false],
    ["svc-[a-c]", "svc-b", true],
    ["svc-[a-c]", "svc-d", false],
    ["svc-[!a-c]", "svc-d", true],
    ["svc-[!a-c]", "svc-a", false],
    ["{api,web}-*", "web-frontend", true],
    ["{api,web}-*", "db-main", false],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyy", false],
    ["a.b", "axb", false],
  ])("%s against %s: %s", (pattern, name, expected) => {
    expect(matchesNameGlob(pattern, name)).toBe(expected);
  });
});
