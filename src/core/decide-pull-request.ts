// The pull request check's core: a pull request + GitHub facts → verdict and check output. No Octokit
// and no Probot here, so a CLI can replay it against recorded facts.
import type { AuditDecision } from "../audit/record.js";
import type { PullRequestSnapshot } from "../github/read-pull-request.js";
import { renderCheckOutput, type PullRequestOutcome, type PullRequestShown, type RenderedCheck } from "../github/render-check-output.js";
import type { RepoFacts, SignOffVerdict } from "../github/repo-facts.js";
import type { Violation } from "../policy/decision.js";
import { CONFIG_PATHS, parseRepoConfig, renderConfigErrors, type PullRequestConfig } from "../policy/load-repo-config.js";
import type { HandlerDeps } from "../handlers/types.js";

/** The policy input of `github.pullrequest`; the contract is fixed by policies/pullrequest.rego. */
export interface PullRequestInput {
  head_ref: string;
  base_ref: string;
  /** Absent when there is no policy to apply the facts to (they are not read then). */
  workflow_meta?: { approvers: string[]; signed_off: boolean };
  repo_policy: PullRequestConfig | null;
}

/** The pull request being judged, in the base repository (for a fork, never the fork). */
export interface PullRequestUnderReview extends PullRequestSnapshot {
  owner: string;
  repo: string;
  defaultBranch: string;
}

export interface PullRequestVerdict {
  /** "deny" for a missing or broken config too; "error" when repol could not reach a decision. */
  decision: AuditDecision;
  violations: Violation[];
  input: PullRequestInput | null;
  configSha: string | null;
  error: string | null;
  check: RenderedCheck;
}

export async function decidePullRequest(
  pr: PullRequestUnderReview,
  facts: RepoFacts,
  deps: Pick<HandlerDeps, "engine">,
): Promise<PullRequestVerdict> {
  const shown = shownOf(pr);
  let configSha: string | null = null;
  try {
    const file = await facts.configFile(CONFIG_PATHS.pullrequest);
    configSha = file?.sha ?? null;
    const parsed = file === null ? null : parseRepoConfig("pullrequest", file.text, file.path);
    if (parsed !== null && !parsed.ok) {
      const violations = parsed.errors.map((error) => ({ code: "config.invalid", msg: renderConfigErrors([error]), ...error }));
      return { decision: "deny", violations, input: null, configSha, error: null, check: renderCheckOutput(shown, { kind: "config_invalid", errors: parsed.errors }) };
    }
    const config = parsed?.config ?? null;
    const [approvers, signOff] = config === null
      ? [null, null]
      : await Promise.all([facts.approversOf(pr.number), facts.signedOff({ pull: pr.number })]);
    const input: PullRequestInput = {
      head_ref: pr.headRef,
      base_ref: pr.baseRef,
      ...(approvers !== null && signOff !== null ? { workflow_meta: { approvers, signed_off: signOff.signedOff } } : {}),
      repo_policy: config,
    };
    const decision = deps.engine.evaluate("pullrequest", input);
    const outcome: PullRequestOutcome = { kind: "decided", decision, config, approvers, signOff };
    return {
      decision: decision.allow ? "allow" : "deny",
      violations: explain(decision.violations, signOff),
      input,
      configSha,
      error: null,
      check: renderCheckOutput(shown, outcome),
    };
  } catch (error) {
    return failedVerdict(pr, error instanceof Error ? error.message : String(error), configSha);
  }
}

/** The fail-closed verdict: a failing check that says why repol could not evaluate. */
export function failedVerdict(pr: PullRequestUnderReview, message: string, configSha: string | null = null): PullRequestVerdict {
  return {
    decision: "error",
    violations: [],
    input: null,
    configSha,
    error: message,
    check: renderCheckOutput(shownOf(pr), { kind: "error", message }),
  };
}

function shownOf(pr: PullRequestUnderReview): PullRequestShown {
  const base = `${pr.owner}/${pr.repo}`.toLowerCase();
  return {
    number: pr.number,
    headRef: pr.headRef,
    baseRef: pr.baseRef,
    forkOf: pr.headRepo === null ? "(deleted)" : pr.headRepo.toLowerCase() !== base ? pr.headRepo : null,
    draft: pr.draft,
    defaultBranch: pr.defaultBranch,
    configPath: CONFIG_PATHS.pullrequest,
  };
}

function explain(violations: Violation[], signOff: SignOffVerdict | null): Violation[] {
  return violations.map((v) => (v.code === "signoff.missing" && signOff ? { ...v, detail: signOff.reason } : v));
}
