// Text that double-quoted YAML escapes can produce but no name, branch or check holds: the loader
// refuses it with a position, so the policy never sees a lone surrogate or a control character.
import { describe, expect, it } from "vitest";
import { parseRepoConfig, renderConfigErrors } from "../../src/policy/load-repo-config.js";

const deploy = (environment: string, checks: string) =>
  `policy:\n  version: 1\n  environments:\n    ${environment}:\n      rules:\n        required_checks: [${checks}]\n`;
const errorsOf = (text: string): string => {
  const result = parseRepoConfig("deploy", text);
  return result.ok ? "accepted" : renderConfigErrors(result.errors);
};

describe("text from YAML escapes", () => {
  it.each<[string, string, string]>([
    [
      "a lone surrogate in an environment name",
      deploy('"prod\\ud800"', '"ci"'),
      ".repol/deploy.yaml:4:5: text holds a lone UTF-16 surrogate (U+D800, from a `\\u` escape); write the character itself or a complete surrogate pair",
    ],
    [
      "a lone low surrogate in a check name",
      deploy("prod", '"ci\\udc00"'),
      ".repol/deploy.yaml:6:27: text holds a lone UTF-16 surrogate (U+DC00, from a `\\u` escape); write the character itself or a complete surrogate pair",
    ],
    [
      "NUL in a check name",
      deploy("prod", '"ci\\0"'),
      ".repol/deploy.yaml:6:27: text holds the control character U+0000 (from an escape); config text may hold no control characters but tabs and line breaks",
    ],
    [
      "DEL in an environment name",
      deploy('"prod\\x7f"', '"ci"'),
      ".repol/deploy.yaml:4:5: text holds the control character U+007F (from an escape); config text may hold no control characters but tabs and line breaks",
    ],
  ])("refuses %s, with its position", (_, text, expected) => {
    expect(errorsOf(text)).toBe(expected);
  });

  it("accepts a surrogate pair written as two escapes, and tabs", () => {
    const result = parseRepoConfig("deploy", deploy('"prod\\ud83d\\ude00"', '"ci\\tlint"'));
    expect(result.ok && result.config.policy.environments["prod😀"].rules.required_checks).toEqual(["ci\tlint"]);
  });
});
