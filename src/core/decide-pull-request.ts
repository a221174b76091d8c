// The pull request check's decision: a pull request + facts → verdict, and what its check run rests
// on. No Probot and no Octokit here: the App and `repol replay` share it; each renders the check itself.
import type { PullRequestUnderReview } from "../domain/pull-request.js";
import { outcomeOf, type PolicyResult, type Violation, type VerdictOutcome } from "../domain/verdict.js";
import type { ConfigError } from "../policy/decision.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import type { PullRequestConfig } from "../policy/load-repo-config.js";
import { applyCustomRules, withCustomRules, type CustomRuleEvaluator, type CustomRulesApplied } from "./apply-custom-rules.js";
import { explainViolations } from "./explain-violations.js";
import type { DecisionFacts, PullRequestQuery } from "./facts.js";
import { judgePullSignOff, type SignOffVerdict } from "./judge-sign-off.js";
import { approversOf } from "./latest-approvers.js";
import { messageOf } from "./message-of.js";
import { commonInput, pullRequestInput, rulesMayReadFiles, type PullRequestFactsInput, type RepositoryInput } from "./policy-input-facts.js";
import type { ParsedConfigs } from "./parsed-configs.js";
import { readPolicy, type PolicySource } from "./read-policy.js";
import { withExemptions } from "./with-exemptions.js";
import type { ExemptionUse } from "../domain/exemption-use.js";
import { unconfiguredPullRequestAnswer, type UnconfiguredAnswer } from "../org/repository-scope.js";
import type { Tightening } from "../org/tighten-rules.js";

/** The policy input of `github.pullrequest`; the contract is fixed by policies/pullrequest.rego. */
export interface PullRequestInput {
  head_ref: string;
  base_ref: string;
  /** Absent when there is no policy to apply the facts to (they are not read then). */
  workflow_meta?: { approvers: string[]; signed_off: boolean };
  repo_policy: PullRequestConfig | null;
  now: string;
  repository: RepositoryInput | null;
  /** Absent with workflow_meta; null when the facts source had no details of it. */
  pull_request?: PullRequestFactsInput | null;
  /** Whose file `repo_policy` comes from: the repository's own, or the organisation's default. */
  policy_source: PolicySource;
  /** Git blob SHA of the organisation's org.yaml in force; null without one. */
  org_config_sha: string | null;
}

/** What the check run shows besides the outcome: the rules as judged, the config's problems, or the failure. */
export type PullRequestBasis =
  | {
      kind: "decided";
      result: PolicyResult;
      config: PullRequestConfig | null;
      approvers: string[] | null;
      signOff: SignOffVerdict | null;
      /** Rules an organisation minimum made stricter than the file in force. */
      tightened?: Tightening[];
    }
  /** Not judged: out of the organisation's scope, or no pull request policy at any level. */
  | { kind: "not_judged"; answer: UnconfiguredAnswer }
  | { kind: "config_invalid"; errors: ConfigError[] }
  | { kind: "error"; message: string };

export interface PullRequestVerdict {
  /** "deny" for a missing or broken config too; "error" when repol could not reach a decision. */
  outcome: VerdictOutcome;
  violations: Violation[];
  /** Failed rules the policy set to `warn`: shown and recorded, never blocking. */
  warnings: Violation[];
  input: PullRequestInput | null;
  configSha: string | null;
  error: string | null;
  basis: PullRequestBasis;
  /** The custom Rego rules judged (repository's and organisation's); absent when there were none. */
  customRules?: CustomRulesApplied;
  /** Organisation exemptions that turned failures into warnings. */
  exemptions?: ExemptionUse[];
}

export interface DecidePullRequestOptions {
  /** The input's `now`; tests and replays pin it. */
  now?: Date;
  /** Judges `.repol/policies`; without it, a pull request in a repository with rule files fails. */
  customRules?: CustomRuleEvaluator;
  /** Policy files parsed by earlier decisions (the App keeps one set); without it each is parsed anew. */
  configs?: ParsedConfigs;
}

export async function decidePullRequest(
  pr: PullRequestUnderReview,
  facts: DecisionFacts,
  engine: PolicyEngine,
  { now = new Date(), customRules, configs }: DecidePullRequestOptions = {},
): Promise<PullRequestVerdict> {
  const query: PullRequestQuery = { policy: "pullrequest", number: pr.number, headSha: pr.headSha };
  let configSha: string | null = null;
  try {
    const policy = await readPolicy(facts, query, now, configs);
    if (policy.kind === "invalid") {
      const basis = { kind: "config_invalid" as const, errors: policy.errors };
      return { outcome: "deny", violations: policy.violations, warnings: [], input: null, configSha: policy.configSha, error: null, basis };
    }
    if (policy.kind === "excluded") return notJudged({ post: false }, "allow", []);
    if (policy.kind === "missing") return unconfigured(unconfiguredPullRequestAnswer(policy.org?.config.unconfigured_pull_requests ?? "skip"));
    const { config } = policy;
    configSha = policy.configSha;
    const evidence = await facts.pullRequestEvidence({ ...query, wantAllChangedFiles: rulesMayReadFiles(policy.snapshot) });
    const approvers = approversOf(evidence);
    const signOff = judgePullSignOff(evidence);
    const input: PullRequestInput = {
      head_ref: pr.headRef,
      base_ref: pr.baseRef,
      workflow_meta: { approvers, signed_off: signOff.signedOff },
      repo_policy: config,
      ...commonInput(now, policy.snapshot),
      pull_request: pullRequestInput(evidence),
      policy_source: policy.source,
      org_config_sha: policy.org?.configSha ?? null,
    };
    const result = engine.evaluate("pullrequest", input);
    const builtIn: PullRequestVerdict = {
      outcome: outcomeOf(result),
      violations: explainViolations(result.violations, { signOff }),
      warnings: explainViolations(result.warnings, { signOff }),
      input,
      configSha,
      error: null,
      basis: { kind: "decided", result, config, approvers, signOff, tightened: policy.tightened },
    };
    const judged = withCustomRules(builtIn, await applyCustomRules("pullrequest", policy.snapshot, input, customRules));
    // The check shows why repol could not decide, as for any other failure to evaluate.
    if (judged.outcome === "error") return { ...judged, basis: { kind: "error", message: judged.error ?? "custom rules failed" } };
    // Last, after every finding: organisation exemptions (src/core/with-exemptions.ts).
    return withBasisOf(withExemptions(judged, policy.org, { repository: `${pr.owner}/${pr.repo}`, environment: null, now }));
  } catch (error) {
    return failedPullRequestVerdict(messageOf(error), configSha);
  }
}

/** The fail-closed verdict: a failing check that says why repol could not evaluate. */
export function failedPullRequestVerdict(message: string, configSha: string | null = null): PullRequestVerdict {
  return { outcome: "error", violations: [], warnings: [], input: null, configSha, error: message, basis: { kind: "error", message } };
}

/** The check shows the verdict's final findings, after exemptions and custom rules. */
function withBasisOf(verdict: PullRequestVerdict): PullRequestVerdict {
  const { basis, outcome, violations, warnings } = verdict;
  if (basis.kind !== "decided") return verdict;
  return { ...verdict, basis: { ...basis, result: { ...basis.result, allow: outcome === "allow", violations, warnings } } };
}

function unconfigured(answer: UnconfiguredAnswer): PullRequestVerdict {
  if (!answer.post) return notJudged(answer, "allow", []);
  const violation = { code: "policy.missing", msg: answer.summary };
  return answer.conclusion === "failure" ? notJudged(answer, "deny", [violation]) : notJudged(answer, "allow", [], [violation]);
}

function notJudged(answer: UnconfiguredAnswer, outcome: "allow" | "deny", violations: Violation[], warnings: Violation[] = []): PullRequestVerdict {
  return { outcome, violations, warnings, input: null, configSha: null, error: null, basis: { kind: "not_judged", answer } };
}
