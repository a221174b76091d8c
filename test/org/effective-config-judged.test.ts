// The effective config goes to the same compiled policy as a repository's own file: these cases
// prove the policy judges what the minimums added, not only that the config carries them.
import { beforeAll, describe, expect, it } from "vitest";
import { effectiveDeployConfig } from "../../src/org/effective-deploy-config.js";
import { effectivePullRequestConfig } from "../../src/org/effective-pull-request-config.js";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";
import type { DeployConfig, PullRequestConfig } from "../../src/policy/load-repo-config.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";

let engine: WasmPolicyEngine;
beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

const repoDeploy: DeployConfig = {
  policy: {
    version: 1,
    environments: {
      production: { enabled: true, rules: { approvals_required: 0, allowed_branches: ["main", "release/*"], tests_passed: false, signed_off: false } },
    },
  },
};
const deployInput = (config: DeployConfig | null, branch: string, approvers: string[]) => ({
  environment: "production",
  ref: `refs/heads/${branch}`,
  repo_environments: ["production"],
  workflow_meta: { approvers, checks: { tests: true }, signed_off: true, deployments_today: 1 },
  repo_policy: config,
});

describe("effective configs judged by the compiled policy", () => {
  const minimums = { deploy: { environments: { "prod*": { rules: { allowed_branches: ["main", "hotfix/*"], approvals_required: 1 } } } } };
  const effective = effectiveDeployConfig(repoDeploy, null, minimums, "production").config;

  it.each([
    ["main", ["alice"], []],
    ["release/1", ["alice"], ["ref.denied"]],
    ["hotfix/1", ["alice"], ["ref.denied"]],
    ["main", [], ["approvals.insufficient"]],
  ])("a deployment from %s approved by %j fails %j", (branch, approvers, codes) => {
    const result = engine.evaluate("deploy", deployInput(effective, branch, approvers));
    expect(result.violations.map((v) => v.code)).toEqual(codes);
  });

  it("denies a pull request whose target the repository allows but the minimum does not", () => {
    const repo: PullRequestConfig = {
      policy: { version: 1, branch_rules: [], rules: { allowed_target_branches: ["develop", "main"], approvals_required: 0, signed_off: false } },
    };
    const config = effectivePullRequestConfig(repo, null, { pullrequest: { rules: { allowed_target_branches: ["main"] } } }).config;
    const input = (base: string) => ({ head_ref: "feature/x", base_ref: base, workflow_meta: { approvers: [], signed_off: true }, repo_policy: config });
    expect(engine.evaluate("pullrequest", input("main")).allow).toBe(true);
    expect(engine.evaluate("pullrequest", input("develop")).violations.map((v) => v.code)).toEqual(["target_branch.denied"]);
  });
});
