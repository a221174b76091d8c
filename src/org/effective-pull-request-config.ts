// The pull request rules in force: the repository's own file, else the organisation's default, then
// raised to the organisation's minimums (see effective-deploy-config.ts for what no repository
// setting can loosen). `policy.enforcement: warn` on a minimum-covered rule goes back to `block`.
import type { PullRequestMinimumRules, OrgMinimums } from "../policy/load-org-config.js";
import type { PullRequestConfig } from "../policy/load-repo-config.js";
import type { EffectiveConfig } from "./effective-deploy-config.js";
import { RuleTightener, type Rules } from "./tighten-rules.js";

const BECAUSE = "organisation minimum for pull requests";

export function effectivePullRequestConfig(
  repoConfig: PullRequestConfig | null,
  orgDefaults: PullRequestConfig | null,
  orgMinimums: OrgMinimums | undefined,
): EffectiveConfig<PullRequestConfig> {
  const base = repoConfig ?? orgDefaults;
  const source = repoConfig !== null ? "repository" : orgDefaults !== null ? "organisation" : "none";
  const minimum: PullRequestMinimumRules | undefined = orgMinimums?.pullrequest?.rules;
  if (base === null || minimum === undefined) return { config: base, source, tightened: [] };

  const rules = new RuleTightener(base.policy.rules as unknown as Rules, BECAUSE);
  rules.branchesWithin("allowed_target_branches", minimum.allowed_target_branches);
  rules.atLeast("approvals_required", minimum.approvals_required);
  rules.required("signed_off", minimum.signed_off);
  const policy: PullRequestConfig["policy"] & Record<string, unknown> = {
    ...base.policy,
    rules: rules.rules as unknown as PullRequestConfig["policy"]["rules"],
  };
  const enforcement = rules.blockingIn((base.policy as { enforcement?: unknown }).enforcement, Object.keys(minimum));
  if (enforcement !== undefined) policy.enforcement = enforcement;
  return { config: { ...base, policy }, source, tightened: rules.tightened };
}
