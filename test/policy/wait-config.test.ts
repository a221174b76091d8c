import { describe, expect, it } from "vitest";
import { parseRepoConfig, type DeployConfig } from "../../src/policy/load-repo-config.js";
import { parseWaitDuration, waitConfigOf } from "../../src/policy/wait-config.js";

const deployYaml = (wait: string) => `policy:
  version: 1
  environments:
    production:
      rules:
        tests_passed: true
${wait}`;

const parsed = (text: string): DeployConfig => {
  const result = parseRepoConfig("deploy", text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
};
const errorsOf = (text: string) => {
  const result = parseRepoConfig("deploy", text, ".repol/deploy.yaml");
  if (result.ok) throw new Error("expected config errors");
  return result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`);
};

describe("wait settings in .repol/deploy.yaml", () => {
  it("reads the rules to wait for and the longest wait", () => {
    const config = parsed(deployYaml("      wait:\n        for: [tests_passed, approvals_required]\n        max: 2h\n"));
    expect(waitConfigOf(config, "production")).toEqual({ for: ["tests_passed", "approvals_required"], maxMs: 2 * 3_600_000 });
  });

  it("waits one hour when max is left out", () => {
    const config = parsed(deployYaml("      wait:\n        for: [deploy_windows]\n"));
    expect(waitConfigOf(config, "Production")).toEqual({ for: ["deploy_windows"], maxMs: 3_600_000 });
  });

  it("answers at once (no wait settings) for an environment without wait", () => {
    expect(waitConfigOf(parsed(deployYaml("")), "production")).toBeNull();
  });

  it("refuses a rule that cannot be waited for, naming file, line and column", () => {
    expect(errorsOf(deployYaml("      wait:\n        for: [tests_passed, signed_off]\n"))).toEqual([
      '.repol/deploy.yaml:8:29 `for[1]` must be one of `tests_passed`, `approvals_required`, `deploy_windows`, got "signed_off"',
    ]);
  });

  it.each([
    ["31d", "longer than 30 days"],
    ["90 minutes", "whole number of minutes, hours or days"],
    ["0h", "whole number of minutes, hours or days"],
  ])("refuses max: %s", (max, problem) => {
    const [error] = errorsOf(deployYaml(`      wait:\n        for: [tests_passed]\n        max: ${max}\n`));
    expect(error).toContain(".repol/deploy.yaml:9:14");
    expect(error).toContain(problem);
  });

  it("refuses an empty for list and unknown keys", () => {
    expect(errorsOf(deployYaml("      wait:\n        for: []\n        until: 2h\n")).length).toBe(2);
  });
});

describe("parseWaitDuration", () => {
  it.each([
    ["30m", 30 * 60_000],
    ["2h", 2 * 3_600_000],
    ["30d", 30 * 86_400_000],
    ["31d", null],
    ["1.5h", null],
    ["", null],
  ])("%s → %s", (text, ms) => {
    expect(parseWaitDuration(text)).toBe(ms);
  });
});
