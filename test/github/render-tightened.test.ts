import { describe, expect, it } from "vitest";
import { renderTightened } from "../../src/github/render-tightened.js";
import { effectiveDeployConfig } from "../../src/org/effective-deploy-config.js";
import type { DeployConfig } from "../../src/policy/load-repo-config.js";

describe("renderTightened", () => {
  it("says nothing when no minimum changed a rule", () => {
    expect(renderTightened([])).toBe("");
  });

  it("names each raised rule with its old and new value and the minimum behind it", () => {
    const repo: DeployConfig = {
      policy: {
        version: 1,
        environments: { production: { enabled: false, rules: { approvals_required: 1, allowed_branches: ["dev"], tests_passed: false, signed_off: false } } },
      },
    };
    const minimums = { deploy: { environments: { "prod*": { rules: { approvals_required: 2, allowed_branches: ["main"] } } } } };
    const { tightened } = effectiveDeployConfig(repo, null, minimums, "production");
    expect(renderTightened(tightened).split("\n")).toEqual([
      "🏢 Organisation minimums raised this repository's rules:",
      "- `approvals_required`: `1` → `2` (organisation minimum for environments matching `prod*`)",
      "- `allowed_branches`: `dev` → `dev` and also `main` (organisation minimum for environments matching `prod*`)",
      "- `enabled`: `false` → `true` (organisation minimum for environments matching `prod*`)",
    ]);
  });
});
