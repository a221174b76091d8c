import { describe, expect, it } from "vitest";
import { effectivePullRequestConfig } from "../../src/org/effective-pull-request-config.js";
import type { PullRequestConfig, PullRequestRules } from "../../src/policy/load-repo-config.js";
import type { OrgMinimums, PullRequestMinimumRules } from "../../src/policy/load-org-config.js";

const prConfig = (patch: Partial<PullRequestRules> = {}, extras: Record<string, unknown> = {}): PullRequestConfig => ({
  policy: { version: 1, branch_rules: [], rules: { allowed_target_branches: null, approvals_required: 0, signed_off: false, ...patch }, ...extras },
});
const minimums = (rules: PullRequestMinimumRules): OrgMinimums => ({ pullrequest: { rules } });

describe("effectivePullRequestConfig", () => {
  it("uses the organisation's default when the repository has no file", () => {
    const org = prConfig({ approvals_required: 1 });
    expect(effectivePullRequestConfig(null, org, undefined)).toEqual({ config: org, source: "organisation", tightened: [] });
  });

  it("reports no policy at any level", () => {
    expect(effectivePullRequestConfig(null, null, minimums({ approvals_required: 1 }))).toEqual({ config: null, source: "none", tightened: [] });
  });

  it.each([
    ["approvals: the larger", { approvals_required: 1 }, { approvals_required: 2 }, { approvals_required: 2 }],
    ["signed_off: required if either", {}, { signed_off: true }, { signed_off: true }],
    ["targets: any branch takes the minimum's list", {}, { allowed_target_branches: ["main"] }, { allowed_target_branches: ["main"] }],
    [
      "targets: two lists must both match",
      { allowed_target_branches: ["develop", "main"] },
      { allowed_target_branches: ["main"] },
      { allowed_target_branches: ["develop", "main"], allowed_target_branches_minimum: [["main"]] },
    ],
  ] as Array<[string, Partial<PullRequestRules>, PullRequestMinimumRules, Record<string, unknown>]>)("%s", (_, repo, minimum, expected) => {
    const result = effectivePullRequestConfig(prConfig(repo), null, minimums(minimum));
    expect(result.source).toBe("repository");
    expect(result.config?.policy.rules).toMatchObject(expected);
    expect(result.tightened.length).toBeGreaterThan(0);
  });

  it("turns policy.enforcement warn back to block for a minimum-covered rule", () => {
    const repo = prConfig({}, { enforcement: { approvals_required: "warn", branch_rules: "warn" } });
    const policy = effectivePullRequestConfig(repo, null, minimums({ approvals_required: 1 })).config?.policy as unknown as { enforcement: unknown };
    expect(policy.enforcement).toEqual({ approvals_required: "block", branch_rules: "warn" });
  });
});
