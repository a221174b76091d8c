// The first stage of every decision: the policy file on the default branch, parsed. A missing or
// invalid file ends the decision here (no evidence is read); its problems become violations.
import type { Violation } from "../domain/verdict.js";
import type { ConfigError } from "../policy/decision.js";
import { CONFIG_PATHS, parseRepoConfig, renderConfigErrors, type DeployConfig, type PullRequestConfig } from "../policy/load-repo-config.js";
import type { DecisionFacts, DeploymentQuery, PolicySnapshot, PullRequestQuery } from "./facts.js";

/** `snapshot`: the whole first stage as read, for the facts besides the file. */
export type PolicyRead<Config> = { snapshot: PolicySnapshot } & (
  | { kind: "missing"; defaultBranch: string; path: string }
  | { kind: "invalid"; configSha: string; errors: ConfigError[]; violations: Violation[] }
  | { kind: "valid"; configSha: string; config: Config }
);

export async function readPolicy(facts: DecisionFacts, query: DeploymentQuery): Promise<PolicyRead<DeployConfig>>;
export async function readPolicy(facts: DecisionFacts, query: PullRequestQuery): Promise<PolicyRead<PullRequestConfig>>;
export async function readPolicy(facts: DecisionFacts, query: DeploymentQuery | PullRequestQuery): Promise<PolicyRead<DeployConfig | PullRequestConfig>> {
  const snapshot = await facts.policy(query);
  const { defaultBranch, file } = snapshot;
  if (file === null) return { snapshot, kind: "missing", defaultBranch, path: CONFIG_PATHS[query.policy] };
  const parsed = parseRepoConfig(query.policy, file.text, file.path);
  if (parsed.ok) return { snapshot, kind: "valid", configSha: file.sha, config: parsed.config };
  const violations = parsed.errors.map((error) => ({ code: "config.invalid", msg: renderConfigErrors([error]), ...error }));
  return { snapshot, kind: "invalid", configSha: file.sha, errors: parsed.errors, violations };
}
