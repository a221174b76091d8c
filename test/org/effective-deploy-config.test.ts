import { describe, expect, it } from "vitest";
import { effectiveDeployConfig } from "../../src/org/effective-deploy-config.js";
import type { DeployConfig, DeployRules } from "../../src/policy/load-repo-config.js";
import type { DeployMinimumRules, OrgMinimums } from "../../src/policy/load-org-config.js";

const rules = (patch: Partial<DeployRules> = {}): DeployRules => ({
  approvals_required: 0,
  allowed_branches: null,
  tests_passed: false,
  signed_off: false,
  ...patch,
});
const deployConfig = (patch: Partial<DeployRules> = {}, extras: Record<string, unknown> = {}): DeployConfig => ({
  policy: { version: 1, environments: { Production: { enabled: true, rules: rules(patch), ...extras } } },
});
const minimums = (minimum: DeployMinimumRules, pattern = "prod*"): OrgMinimums => ({ deploy: { environments: { [pattern]: { rules: minimum } } } });
const effectiveRules = (repo: DeployConfig, minimum: DeployMinimumRules) =>
  effectiveDeployConfig(repo, null, minimums(minimum), "production").config?.policy.environments.Production?.rules as unknown as Record<string, unknown>;

describe("effectiveDeployConfig: where the rules come from", () => {
  it("uses the repository's own file when it has one", () => {
    const repo = deployConfig({ approvals_required: 1 });
    expect(effectiveDeployConfig(repo, deployConfig({ approvals_required: 3 }), undefined, "production")).toEqual({
      config: repo,
      source: "repository",
      tightened: [],
    });
  });

  it("falls back to the organisation's default without a repository file", () => {
    const org = deployConfig({ approvals_required: 3 });
    expect(effectiveDeployConfig(null, org, undefined, "production")).toEqual({ config: org, source: "organisation", tightened: [] });
  });

  it("has no config, so the deployment fails closed, when neither has a file, even with minimums", () => {
    expect(effectiveDeployConfig(null, null, minimums({ approvals_required: 2 }), "production")).toEqual({ config: null, source: "none", tightened: [] });
  });

  it("leaves an environment no minimum pattern matches untouched", () => {
    const repo = deployConfig({ approvals_required: 0 });
    expect(effectiveDeployConfig(repo, null, minimums({ approvals_required: 2 }, "staging"), "production").tightened).toEqual([]);
  });
});

describe("effectiveDeployConfig: the stricter of repository and minimum", () => {
  it.each([
    ["approvals: the larger", { approvals_required: 1 }, { approvals_required: 2 }, { approvals_required: 2 }],
    ["approvals: the repository's when larger", { approvals_required: 3 }, { approvals_required: 2 }, { approvals_required: 3 }],
    ["signed_off: required if the minimum requires", { signed_off: false }, { signed_off: true }, { signed_off: true }],
    ["signed_off: a false minimum loosens nothing", { signed_off: true }, { signed_off: false }, { signed_off: true }],
    ["daily limit: the smaller", { max_deployments_per_day: 20 }, { max_deployments_per_day: 5 }, { max_deployments_per_day: 5 }],
    ["daily limit: no repository limit is the loosest", {}, { max_deployments_per_day: 5 }, { max_deployments_per_day: 5 }],
    ["daily limit: 0 in the repository means no limit", { max_deployments_per_day: 0 }, { max_deployments_per_day: 5 }, { max_deployments_per_day: 5 }],
    ["daily limit: 0 as a minimum sets none", { max_deployments_per_day: 3 }, { max_deployments_per_day: 0 }, { max_deployments_per_day: 3 }],
    ["branches: any branch takes the minimum's list", {}, { allowed_branches: ["main"] }, { allowed_branches: ["main"] }],
    [
      "branches: two lists are both kept, for the policy to require each",
      { allowed_branches: ["main", "release/*"] },
      { allowed_branches: ["main", "hotfix/*"] },
      { allowed_branches: ["main", "release/*"], allowed_branches_minimum: [["main", "hotfix/*"]] },
    ],
    ["branches: the same list adds nothing", { allowed_branches: ["b", "a"] }, { allowed_branches: ["a", "b"] }, { allowed_branches: ["b", "a"] }],
    [
      "checks: both lists",
      { tests_passed: true, required_checks: ["lint"] },
      { required_checks: ["build"] },
      { tests_passed: true, required_checks: ["lint", "build"] },
    ],
    ["checks: a minimum's list turns tests on", {}, { required_checks: ["build"] }, { tests_passed: true, required_checks: ["build"] }],
    ["checks: every check beats a named list", { tests_passed: true, required_checks: ["lint"] }, { tests_passed: true }, { tests_passed: true }],
    ["checks: the repository's every check stays", { tests_passed: true }, { required_checks: ["build"] }, { tests_passed: true }],
    [
      "checks: a list without tests_passed does not count",
      { required_checks: ["lint"] },
      { required_checks: ["build"] },
      { tests_passed: true, required_checks: ["build"] },
    ],
  ] as Array<[string, Partial<DeployRules>, DeployMinimumRules, Record<string, unknown>]>)("%s", (_, repo, minimum, expected) => {
    expect(effectiveRules(deployConfig(repo), minimum)).toMatchObject(expected);
    const result = effectiveRules(deployConfig(repo), minimum);
    if (!("required_checks" in expected)) expect(result.required_checks).toBeUndefined();
  });

  it("applies every pattern matching the environment, case-insensitively", () => {
    const org: OrgMinimums = {
      deploy: { environments: { "PROD*": { rules: { approvals_required: 2 } }, "*": { rules: { allowed_branches: ["main"], signed_off: true } } } },
    };
    const result = effectiveDeployConfig(deployConfig({ allowed_branches: ["dev"] }), null, org, "production");
    expect(result.config?.policy.environments.Production?.rules).toMatchObject({
      approvals_required: 2,
      signed_off: true,
      allowed_branches: ["dev"],
      allowed_branches_minimum: [["main"]],
    });
  });

  it("records each tightened rule with what it was, what it became and why", () => {
    const result = effectiveDeployConfig(deployConfig({ approvals_required: 1 }), null, minimums({ approvals_required: 2 }), "production");
    expect(result.tightened).toEqual([{ rule: "approvals_required", from: 1, to: 2, because: "organisation minimum for environments matching `prod*`" }]);
  });
});

describe("effectiveDeployConfig: no repository lever loosens a minimum", () => {
  it("judges an environment the repository switched off", () => {
    const result = effectiveDeployConfig(deployConfig({}, { enabled: false }), null, minimums({ signed_off: true }), "production");
    expect(result.config?.policy.environments.Production?.enabled).toBe(true);
    expect(result.tightened).toContainEqual(expect.objectContaining({ rule: "enabled", from: false, to: true }));
  });

  it("turns warn back to block on a rule a minimum covers, and leaves other rules' enforcement alone", () => {
    const repo = deployConfig({}, { enforcement: { approvals_required: "warn", signed_off: "warn" } });
    const entry = effectiveDeployConfig(repo, null, minimums({ approvals_required: 1 }), "production").config?.policy.environments.Production;
    expect((entry as unknown as { enforcement: unknown }).enforcement).toEqual({ approvals_required: "block", signed_off: "warn" });
  });

  it("stops waiting on a minimum-covered rule unless the organisation's own file waits for it", () => {
    const repo = deployConfig({}, { wait: { for: ["tests_passed", "approvals_required"], max: "1h" } });
    const org = deployConfig({}, { wait: { for: ["tests_passed"] } });
    const minimum = minimums({ tests_passed: true, approvals_required: 2 });
    const entry = effectiveDeployConfig(repo, org, minimum, "production").config?.policy.environments.Production;
    expect((entry as unknown as { wait: unknown }).wait).toEqual({ for: ["tests_passed"], max: "1h" });
  });

  it("does not change the caller's config", () => {
    const repo = deployConfig({ approvals_required: 1 }, { enabled: false });
    const before = structuredClone(repo);
    effectiveDeployConfig(repo, null, minimums({ approvals_required: 2, allowed_branches: ["main"] }), "production");
    expect(repo).toEqual(before);
  });
});
