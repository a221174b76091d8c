// The first stage of every decision: the policy in force, from the default branches. That is the
// repository's own file, else the organisation's default (the owner's `.github` repository), raised
// to the organisation's minimums. A missing, invalid or out-of-scope policy ends the decision here
// (no evidence is read); its problems become violations.
import type { PolicyName } from "../domain/policy-name.js";
import type { Violation } from "../domain/verdict.js";
import { effectiveDeployConfig } from "../org/effective-deploy-config.js";
import { effectivePullRequestConfig } from "../org/effective-pull-request-config.js";
import { orgFilePath, orgPolicyInForce, type OrgPolicyInForce } from "../org/org-policy-in-force.js";
import { isInScope } from "../org/repository-scope.js";
import type { Tightening } from "../org/tighten-rules.js";
import type { ConfigError } from "../policy/decision.js";
import { CONFIG_PATHS, parseRepoConfig, renderConfigErrors, type DeployConfig, type PullRequestConfig } from "../policy/load-repo-config.js";
import type { DecisionFacts, DeploymentQuery, PolicyFile, PolicySnapshot, PullRequestQuery } from "./facts.js";
import type { ParsedConfigs } from "./parsed-configs.js";

/** Whose file a decision was judged by; recorded as the input's `policy_source`. */
export type PolicySource = "repository" | "organisation";

/** `snapshot`: the whole first stage as read, for the facts besides the file. `org`: null without an organisation policy. */
export type PolicyRead<Config> = { snapshot: PolicySnapshot; org: OrgPolicyInForce | null } & (
  | { kind: "missing"; defaultBranch: string; path: string }
  | { kind: "excluded"; repository: string }
  | { kind: "invalid"; configSha: string; errors: ConfigError[]; violations: Violation[] }
  | { kind: "valid"; configSha: string; config: Config; source: PolicySource; tightened: Tightening[] }
);

/** `configs`: parsed files kept across decisions (the App's); without it every file is parsed anew. */
export async function readPolicy(facts: DecisionFacts, query: DeploymentQuery, now: Date, configs?: ParsedConfigs): Promise<PolicyRead<DeployConfig>>;
export async function readPolicy(facts: DecisionFacts, query: PullRequestQuery, now: Date, configs?: ParsedConfigs): Promise<PolicyRead<PullRequestConfig>>;
export async function readPolicy(
  facts: DecisionFacts,
  query: DeploymentQuery | PullRequestQuery,
  now: Date,
  configs?: ParsedConfigs,
): Promise<PolicyRead<DeployConfig | PullRequestConfig>> {
  const snapshot = await facts.policy(query);
  const orgRead = orgPolicyInForce(snapshot.org, now);
  if (!orgRead.ok) return { snapshot, org: null, ...invalid(orgRead.configSha, orgRead.errors) };
  const { org } = orgRead;
  const repository = snapshot.repository?.fullName;
  // Without the repository's name (an old recording) scope cannot exclude it: judging is the safe side.
  if (org !== null && repository !== undefined && !isInScope(repository, org.config.scope)) return { snapshot, org, kind: "excluded", repository };

  const parse = configs ? configs.parse : (policy: PolicyName, text: string | Uint8Array, file: string) => parseRepoConfig(policy, text, file);
  const own = parsed(parse, query.policy, snapshot.file, (path) => path);
  if (!own.ok) return { snapshot, org, ...invalid(own.sha, own.errors) };
  const orgDefault = org === null ? null : parsed(parse, query.policy, org.defaults[query.policy], (path) => orgFilePath(org.repository, path));
  if (orgDefault !== null && !orgDefault.ok) return { snapshot, org, ...invalid(orgDefault.sha, orgDefault.errors) };
  const minimums = org?.config.minimums;
  const effective =
    query.policy === "deploy"
      ? effectiveDeployConfig(own.config as DeployConfig | null, (orgDefault?.config ?? null) as DeployConfig | null, minimums, query.environment)
      : effectivePullRequestConfig(own.config as PullRequestConfig | null, (orgDefault?.config ?? null) as PullRequestConfig | null, minimums);
  if (effective.config === null || effective.source === "none") {
    return { snapshot, org, kind: "missing", defaultBranch: snapshot.defaultBranch, path: CONFIG_PATHS[query.policy] };
  }
  const configSha = (effective.source === "repository" ? own.sha : orgDefault!.sha)!;
  return { snapshot, org, kind: "valid", configSha, config: effective.config, source: effective.source, tightened: effective.tightened };
}

type Parsed = { ok: true; sha: string | null; config: DeployConfig | PullRequestConfig | null } | { ok: false; sha: string; errors: ConfigError[] };

function parsed(parse: ParsedConfigs["parse"], policy: PolicyName, file: PolicyFile | null, name: (path: string) => string): Parsed {
  if (file === null) return { ok: true, sha: null, config: null };
  const result = parse(policy, file.text, name(file.path), file.sha);
  return result.ok ? { ok: true, sha: file.sha, config: result.config } : { ok: false, sha: file.sha, errors: result.errors };
}

function invalid(configSha: string, errors: ConfigError[]) {
  const violations = errors.map((error) => ({ code: "config.invalid", msg: renderConfigErrors([error]), ...error }));
  return { kind: "invalid" as const, configSha, errors, violations };
}
