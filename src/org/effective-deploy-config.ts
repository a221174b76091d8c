// The deployment rules in force for one environment: the repository's own file, else the
// organisation's default, then raised to the organisation's minimums. No setting in the
// repository's file loosens a minimum:
// - `enabled: false` on an environment a minimum covers is overridden (the environment is judged);
// - `enforcement: warn` on a rule a minimum covers goes back to `block`;
// - `wait.for` keeps a minimum-covered rule only if the organisation's own default file waits for it
//   in that environment too: a repository cannot turn a minimum into something it waits out.
// Only an exemption in org.yaml softens a minimum. With no deploy file anywhere the result has no
// config and the deployment fails closed, minimums or not.
import { entryForEnvironment, keyForEnvironment } from "../policy/environment-name.js";
import type { DeployConfig, DeployEnvironment } from "../policy/load-repo-config.js";
import type { DeployMinimumRules, OrgMinimums } from "../policy/load-org-config.js";
import { matchesNameGlob } from "../policy/match-name-glob.js";
import { RuleTightener, type Rules, type Tightening } from "./tighten-rules.js";

export type PolicySource = "repository" | "organisation" | "none";

export interface EffectiveConfig<T> {
  config: T | null;
  source: PolicySource;
  tightened: Tightening[];
}

export function effectiveDeployConfig(
  repoConfig: DeployConfig | null,
  orgDefaults: DeployConfig | null,
  orgMinimums: OrgMinimums | undefined,
  environment: string,
): EffectiveConfig<DeployConfig> {
  const base = repoConfig ?? orgDefaults;
  const source = repoConfig !== null ? "repository" : orgDefaults !== null ? "organisation" : "none";
  if (base === null) return { config: null, source, tightened: [] };
  const environments = base.policy.environments;
  const key = keyForEnvironment(environments, environment);
  const patterns = Object.keys(orgMinimums?.deploy?.environments ?? {})
    .filter((pattern) => matchesNameGlob(pattern, environment))
    .sort();
  if (key === undefined || patterns.length === 0) return { config: base, source, tightened: [] };

  const orgWaits = waitedRules(orgDefaults === null ? undefined : entryForEnvironment(orgDefaults.policy.environments, environment));
  const tightened: Tightening[] = [];
  let entry = environments[key]!;
  for (const pattern of patterns) {
    const minimum = orgMinimums!.deploy!.environments[pattern]!.rules;
    const result = raiseEnvironment(entry, minimum, `organisation minimum for environments matching \`${pattern}\``, orgWaits);
    entry = result.entry;
    tightened.push(...result.tightened);
  }
  const config: DeployConfig = { ...base, policy: { ...base.policy, environments: { ...environments, [key]: entry } } };
  return { config, source, tightened };
}

function raiseEnvironment(
  entry: DeployEnvironment,
  minimum: DeployMinimumRules,
  because: string,
  orgWaits: string[],
): { entry: DeployEnvironment; tightened: Tightening[] } {
  const rules = new RuleTightener(entry.rules as unknown as Rules, because);
  rules.atLeast("approvals_required", minimum.approvals_required);
  rules.branchesWithin("allowed_branches", minimum.allowed_branches);
  raiseChecks(rules, minimum);
  rules.required("signed_off", minimum.signed_off);
  rules.atMost("max_deployments_per_day", minimum.max_deployments_per_day);

  const covered = coveredRules(minimum);
  const raised: DeployEnvironment & Record<string, unknown> = { ...entry, rules: rules.rules as unknown as DeployEnvironment["rules"] };
  const tightened = rules.tightened;
  if (entry.enabled === false) {
    tightened.push({ rule: "enabled", from: false, to: true, because });
    raised.enabled = true;
  }
  const extras = entry as DeployEnvironment & { enforcement?: unknown; wait?: { for?: string[] } };
  const enforcement = rules.blockingIn(extras.enforcement, covered);
  if (enforcement !== undefined) raised.enforcement = enforcement;
  if (Array.isArray(extras.wait?.for)) {
    const kept = extras.wait.for.filter((rule) => !covered.includes(rule) || orgWaits.includes(rule));
    if (kept.length < extras.wait.for.length) {
      tightened.push({ rule: "wait.for", from: extras.wait.for, to: kept, because });
      raised.wait = { ...extras.wait, for: kept };
    }
  }
  return { entry: raised, tightened };
}

// Tests: the stricter of "every check" and a named list is every check; two named lists are both
// required. A minimum's required_checks implies tests_passed, which is what it would mean alone.
function raiseChecks(rules: RuleTightener, minimum: DeployMinimumRules): void {
  const minimumTests = minimum.tests_passed === true || minimum.required_checks !== undefined;
  if (!minimumTests) return;
  const repoTests = rules.rules.tests_passed === true;
  const repoAll = repoTests && rules.rules.required_checks === undefined;
  const minimumAll = minimum.required_checks === undefined;
  if (!repoTests) rules.drop("required_checks");
  rules.required("tests_passed", true);
  if (minimumAll) rules.drop("required_checks");
  else if (!repoAll) rules.unionOf("required_checks", minimum.required_checks);
}

/** Built-in rule names a minimum sets, as `enforcement` and `wait.for` name them. */
function coveredRules(minimum: DeployMinimumRules): string[] {
  const names = Object.keys(minimum).filter((name) => name !== "required_checks");
  return minimum.required_checks !== undefined && !names.includes("tests_passed") ? [...names, "tests_passed"] : names;
}

function waitedRules(entry: DeployEnvironment | undefined): string[] {
  const wait = (entry as { wait?: { for?: unknown } } | undefined)?.wait;
  return Array.isArray(wait?.for) ? (wait.for as string[]) : [];
}
