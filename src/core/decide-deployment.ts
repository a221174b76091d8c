// The deployment gate's decision: a request + facts → verdict. No Probot, no Octokit, no store here:
// the App and `repol replay` hand in their own facts and get the same answer.
import type { CommitSource, DeploymentObject, DeploymentRequest } from "../domain/deployment-request.js";
import { outcomeOf, type PolicyResult, type Violation, type VerdictOutcome } from "../domain/verdict.js";
import { NO_INSTALLATION } from "../domain/not-judged.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { entryForEnvironment } from "../policy/environment-name.js";
import type { DeployConfig } from "../policy/load-repo-config.js";
import { waitConfigOf, type WaitConfig } from "../policy/wait-config.js";
import { applyCustomRules, withCustomRules, type CustomRuleEvaluator, type CustomRulesApplied } from "./apply-custom-rules.js";
import type { ExemptionUse } from "../domain/exemption-use.js";
import { excludedDeploymentViolation } from "../org/repository-scope.js";
import type { Tightening } from "../org/tighten-rules.js";
import { qualifyDeploymentRef, refToClassify, startOfUtcDay } from "./deployment-ref.js";
import { explainViolations } from "./explain-violations.js";
import type { DecisionFacts, DeploymentQuery } from "./facts.js";
import { checksFacts, judgeChecks, type ChecksFacts, type ChecksVerdict } from "./judge-checks.js";
import { judgeCommitReviews } from "./judge-commit-reviews.js";
import { messageOf } from "./message-of.js";
import { commonInput, deploymentInput, pullRequestInput, rulesMayReadFiles, type PullRequestFactsInput, type RepositoryInput } from "./policy-input-facts.js";
import type { ParsedConfigs } from "./parsed-configs.js";
import { readPolicy, type PolicySource } from "./read-policy.js";
import { scheduleFacts, type ScheduleFacts } from "./schedule-facts.js";
import { withExemptions } from "./with-exemptions.js";

/** The policy input of `github.deploy`; the contract is fixed by policies/deploy.rego. */
export interface DeployInput {
  environment: string;
  ref: string;
  repo_environments: string[];
  workflow_meta: { approvers: string[]; checks: ChecksFacts; signed_off: boolean; deployments_today: number };
  repo_policy: DeployConfig;
  /** Time zone facts for the environment's deploy_windows and freeze (the WASM build has no time zone builtins). */
  schedule: ScheduleFacts;
  /** Where `ref` (and the SHA judged) came from; recorded for the audit trail, no rule reads it. */
  commit_source: CommitSource;
  /** The decision's time, RFC 3339 UTC with milliseconds; deploy_windows and freeze are judged at it. */
  now: string;
  repository: RepositoryInput | null;
  deployment: DeploymentObject | null;
  /** The pull requests behind the commit; an entry is null when the facts source had no details of it. */
  pull_requests: (PullRequestFactsInput | null)[];
  /** Whose file `repo_policy` comes from: the repository's own, or the organisation's default. */
  policy_source: PolicySource;
  /** Git blob SHA of the organisation's org.yaml in force; null without one. */
  org_config_sha: string | null;
}

export interface DeploymentVerdict {
  /** "deny" for a broken or missing config too; "error" when repol could not reach a decision. */
  outcome: VerdictOutcome;
  violations: Violation[];
  /** Failed rules the environment set to `warn`: shown and recorded, never blocking. */
  warnings: Violation[];
  input: DeployInput | null;
  /** The request judged, with the pull requests found behind its commit. */
  request: DeploymentRequest;
  /** The qualified ref the policy saw (refs/heads/… for branches), when it got that far. */
  ref: string | null;
  configSha: string | null;
  error: string | null;
  /** How each check stood, when the checks were judged: tells a running check from a failed one. */
  checks?: ChecksVerdict | null;
  /** The environment's `wait` settings; null or absent: answer at once. */
  wait?: WaitConfig | null;
  /** The custom Rego rules judged (repository's and organisation's); absent when there were none. */
  customRules?: CustomRulesApplied;
  /** Rules an organisation minimum made stricter than the file in force. */
  tightened?: Tightening[];
  /** Organisation exemptions that turned failures into warnings. */
  exemptions?: ExemptionUse[];
}

export interface DecideOptions {
  /** "Today" for deployments_today and the time deploy_windows and freeze are judged at; tests and replays pin it. */
  now?: Date;
  /** Judges `.repol/policies`; without it, a repository with rule files is not approved. */
  customRules?: CustomRuleEvaluator;
  /** Policy files parsed by earlier decisions (the App keeps one set); without it each is parsed anew. */
  configs?: ParsedConfigs;
}

export async function decideDeployment(
  request: DeploymentRequest,
  facts: DecisionFacts,
  engine: PolicyEngine,
  { now = new Date(), customRules, configs }: DecideOptions = {},
): Promise<DeploymentVerdict> {
  const base = { request, input: null, ref: null, configSha: null, violations: [], warnings: [] };
  const failed = (error: string): DeploymentVerdict => ({ ...base, outcome: "error", error });

  if (!request.callback.ok) return failed(request.callback.reason);
  if (request.installationId === null) return failed(NO_INSTALLATION);
  const missing = (["environment", "sha", "ref"] as const).filter((field) => request[field] === null);
  if (missing.length > 0 || !request.owner || !request.repo) {
    return failed(`the webhook lacks ${[...missing, ...(request.owner && request.repo ? [] : ["repository"])].join(", ")}`);
  }
  const environment = request.environment!;
  const query: DeploymentQuery = {
    policy: "deploy",
    sha: request.sha!,
    environment,
    refToClassify: refToClassify(request.ref!),
    pulls: request.pulls,
    since: startOfUtcDay(now),
  };

  try {
    const policy = await readPolicy(facts, query, now, configs);
    if (policy.kind === "excluded") {
      return { ...base, outcome: "deny", error: null, violations: [excludedDeploymentViolation(policy.repository, environment)] };
    }
    if (policy.kind === "missing") {
      return { ...base, outcome: "deny", error: null, violations: [configMissing(policy.path, policy.defaultBranch, environment)] };
    }
    if (policy.kind === "invalid") return { ...base, outcome: "deny", error: null, configSha: policy.configSha, violations: policy.violations };
    const configSha = policy.configSha;
    const rules = entryForEnvironment(policy.config.policy.environments, environment)?.rules;
    const evidence = await facts.deploymentEvidence({ ...query, wantAllChangedFiles: rulesMayReadFiles(policy.snapshot) });
    const ref = qualifyDeploymentRef(request.ref!, evidence.refKind);
    const review = judgeCommitReviews(evidence);
    const checks = judgeChecks(evidence.checkRuns, evidence.statuses, { excludeRunId: request.callback.runId, requiredChecks: rules?.required_checks ?? null });
    const input: DeployInput = {
      environment,
      ref,
      repo_environments: evidence.environments,
      workflow_meta: {
        approvers: review.approvers,
        checks: checksFacts(checks),
        signed_off: review.signOff.signedOff,
        // This deployment counts towards its own day's limit.
        deployments_today: evidence.approvedDeploymentsToday + 1,
      },
      repo_policy: policy.config,
      schedule: scheduleFacts(rules, now),
      commit_source: request.commitSource!,
      ...commonInput(now, policy.snapshot),
      deployment: deploymentInput(request.deployment),
      pull_requests: evidence.pulls.map(pullRequestInput),
      policy_source: policy.source,
      org_config_sha: policy.org?.configSha ?? null,
    };
    const judged = { ...base, input, ref, configSha, checks, wait: waitConfigOf(policy.config, environment), tightened: policy.tightened };
    let result: PolicyResult;
    try {
      result = engine.evaluate("deploy", input);
    } catch (error) {
      // Keep what was evaluated: the audit row should show the input that broke the bundle.
      return { ...judged, outcome: "error", error: messageOf(error) };
    }
    const pulls = evidence.pulls.map(({ number, author }) => ({ number, author }));
    const explain = (found: Violation[]) => explainViolations(found, { checks, signOff: review.signOff });
    const [violations, warnings] = [explain(result.violations), explain(result.warnings)];
    const builtIn: DeploymentVerdict = { ...judged, outcome: outcomeOf(result), violations, warnings, error: null, request: { ...request, pulls } };
    const verdict = withCustomRules(builtIn, await applyCustomRules("deploy", policy.snapshot, input, customRules));
    // Last, after every finding: organisation exemptions (src/core/with-exemptions.ts).
    return withExemptions(verdict, policy.org, { repository: request.repository, environment, now });
  } catch (error) {
    return failed(messageOf(error));
  }
}

function configMissing(path: string, branch: string, environment: string): Violation {
  return {
    code: "config.missing",
    msg: `${path} was not found on the default branch ${branch}, and the organisation has no default one (${path} in its .github repository). repol reads deployment rules only from there; commit the file to ${branch} with rules for environment ${environment}, then re-run the deployment.`,
    file: path,
  };
}
