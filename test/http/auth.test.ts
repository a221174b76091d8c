import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bearerTokenOf, tokenMatches } from "../../src/http/auth.js";

describe("bearerTokenOf", () => {
  const cases: [string, string | undefined, string | null][] = [
    ["reads the token of a Bearer header", "Bearer abc.DEF-123", "abc.DEF-123"],
    ["accepts the scheme in any case", "bEaReR tok", "tok"],
    ["tolerates extra spaces around the token", "Bearer   tok  ", "tok"],
    ["finds nothing without a header", undefined, null],
    ["finds nothing in an empty header", "", null],
    ["finds nothing for another scheme", "Basic dXNlcjpwYXNz", null],
    ["finds nothing when the token is missing", "Bearer ", null],
    ["rejects a token with spaces inside", "Bearer two words", null],
  ];
  it.each(cases)("%s", (_label, header, expected) => {
    expect(bearerTokenOf(header)).toBe(expected);
  });
});

describe("tokenMatches", () => {
  const expected = createHash("sha256").update("s3cret-token").digest();
  it.each([
    ["the same token", "s3cret-token", true],
    ["a different token of equal length", "s3cret-tokex", false],
    ["a shorter token", "s3cret", false],
    ["a longer token", "s3cret-token-and-more", false],
    ["an empty token", "", false],
  ] as const)("compares %s", (_label, presented, result) => {
    expect(tokenMatches(presented, expected)).toBe(result);
  });
});
