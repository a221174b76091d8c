// The deployment gate's core: payload + GitHub facts → verdict. No Octokit and no Probot here, so a
// CLI can replay a saved webhook against recorded facts and get the same answer.
import type { AuditDecision } from "../audit/record.js";
import { parseCallbackUrl, type CallbackTargetResult } from "../github/deployment-callback.js";
import type { ChecksVerdict, RepoFacts, SignOffVerdict } from "../github/repo-facts.js";
import type { Decision, Violation } from "../policy/decision.js";
import { CONFIG_PATHS, parseRepoConfig, renderConfigErrors, type DeployConfig } from "../policy/load-repo-config.js";
import { qualifyDeploymentRef, startOfUtcDay } from "./deployment-ref.js";
import { readDeploymentRequest, type DeploymentProtectionRulePayload, type DeploymentRequest } from "../webhooks/read-deployment-request.js";
import type { HandlerDeps } from "../handlers/types.js";

/** The policy input of `github.deploy`; the contract is fixed by policies/deploy.rego. */
export interface DeployInput {
  environment: string;
  ref: string;
  repo_environments: string[];
  workflow_meta: { approvers: string[]; checks: { tests: boolean }; signed_off: boolean; deployments_today: number };
  repo_policy: DeployConfig;
}

export interface DeploymentVerdict {
  /** "deny" for a broken or missing config too; "error" when repol could not reach a decision. */
  decision: AuditDecision;
  violations: Violation[];
  input: DeployInput | null;
  request: DeploymentRequest;
  /** The qualified ref the policy saw (refs/heads/… for branches), when it got that far. */
  ref: string | null;
  configSha: string | null;
  /** Where the verdict may be sent, or why it must not be. */
  callback: CallbackTargetResult;
  error: string | null;
}

export interface DecideOptions {
  /** "Today" for deployments_today; tests and replays pin it. */
  now?: Date;
}

export async function decideDeployment(
  payload: DeploymentProtectionRulePayload,
  facts: RepoFacts,
  deps: Pick<HandlerDeps, "engine" | "store" | "settings">,
  { now = new Date() }: DecideOptions = {},
): Promise<DeploymentVerdict> {
  const request = readDeploymentRequest(payload);
  const callback = parseCallbackUrl(request.callbackUrl, deps.settings.githubApiUrl, request.owner, request.repo);
  const base = { request, callback, input: null, ref: null, configSha: null, violations: [] };
  const failed = (error: string): DeploymentVerdict => ({ ...base, decision: "error", error });

  if (!callback.ok) return failed(callback.reason);
  // Without an installation, requests would go out with the App's own credentials: never judge on those.
  if (request.installationId === null) return failed("the webhook names no installation: repol judges only repositories it is installed on");
  const missing = (["environment", "sha", "ref"] as const).filter((field) => request[field] === null);
  if (missing.length > 0 || !request.owner || !request.repo) {
    return failed(`the webhook lacks ${[...missing, ...(request.owner && request.repo ? [] : ["repository"])].join(", ")}`);
  }
  const environment = request.environment!;
  const sha = request.sha!;

  try {
    const file = await facts.configFile(CONFIG_PATHS.deploy);
    if (file === null) {
      const branch = await facts.defaultBranch();
      return { ...base, decision: "deny", error: null, violations: [configMissing(branch, environment)] };
    }
    const parsed = parseRepoConfig("deploy", file.text, file.path);
    if (!parsed.ok) {
      const violations = parsed.errors.map((error) => ({ code: "config.invalid", msg: renderConfigErrors([error]), ...error }));
      return { ...base, decision: "deny", error: null, configSha: file.sha, violations };
    }
    const environments = parsed.config.policy.environments;
    const rules = Object.hasOwn(environments, environment) ? environments[environment]!.rules : undefined;
    const [ref, repoEnvironments, review, checks, deploymentsToday] = await Promise.all([
      qualifyDeploymentRef(request.ref!, facts),
      facts.environments(),
      pullRequestFacts(request, sha, facts),
      facts.checksPassed(sha, { excludeRunId: callback.runId, requiredChecks: rules?.required_checks ?? null }),
      countTodaysDeployments(deps, request, environment, now),
    ]);
    const input: DeployInput = {
      environment,
      ref,
      repo_environments: repoEnvironments,
      workflow_meta: { approvers: review.approvers, checks: { tests: checks.passed }, signed_off: review.signOff.signedOff, deployments_today: deploymentsToday },
      repo_policy: parsed.config,
    };
    let decision: Decision;
    try {
      decision = deps.engine.evaluate("deploy", input);
    } catch (error) {
      // Keep what was evaluated: the audit row should show the input that broke the bundle.
      return { ...failed(messageOf(error)), input, ref, configSha: file.sha };
    }
    return {
      ...base,
      decision: decision.allow ? "allow" : "deny",
      violations: explain(decision.violations, checks, review.signOff),
      input,
      ref,
      configSha: file.sha,
      error: null,
      request: { ...request, pulls: review.pulls },
    };
  } catch (error) {
    return failed(messageOf(error));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function configMissing(branch: string, environment: string): Violation {
  return {
    code: "config.missing",
    msg: `${CONFIG_PATHS.deploy} was not found on the default branch ${branch}. repol reads deployment rules only from there; commit the file to ${branch} with rules for environment ${environment}, then re-run the deployment.`,
    file: CONFIG_PATHS.deploy,
  };
}

/**
 * Who approved and whether it is signed off, from the pull requests behind the commit: the ones
 * GitHub put in the webhook, else those the commit belongs to; the commit alone when there are none.
 */
async function pullRequestFacts(request: DeploymentRequest, sha: string, facts: RepoFacts) {
  const pulls = request.pulls.length > 0 ? request.pulls : await facts.pullsForCommit(sha);
  const [perPull, signOffs] = await Promise.all([
    Promise.all(pulls.map((pull) => facts.approversOf(pull.number))),
    pulls.length > 0 ? Promise.all(pulls.map((pull) => facts.signedOff({ pull: pull.number }))) : Promise.all([facts.signedOff({ sha })]),
  ]);
  // With several pull requests, the author of any of them is not an independent reviewer of the commit.
  const authors = new Set(pulls.flatMap((pull) => (pull.author ? [pull.author.toLowerCase()] : [])));
  const approvers = [...new Set(perPull.flat())].filter((login) => !authors.has(login.toLowerCase())).sort();
  return { pulls, approvers, signOff: combineSignOffs(signOffs, pulls.map((pull) => pull.number)) };
}

function combineSignOffs(verdicts: SignOffVerdict[], pullNumbers: number[]): SignOffVerdict {
  if (verdicts.length === 1) return verdicts[0]!;
  const labelled = verdicts.map((verdict, i) => ({ verdict, label: `#${pullNumbers[i]}` }));
  const unsigned = labelled.filter(({ verdict }) => !verdict.signedOff);
  return {
    signedOff: unsigned.length === 0,
    reason: (unsigned.length > 0 ? unsigned : labelled).map(({ verdict, label }) => `${label}: ${verdict.reason}`).join("; "),
    unsigned: unsigned.flatMap(({ verdict }) => verdict.unsigned),
    checked: verdicts.reduce((sum, verdict) => sum + verdict.checked, 0),
  };
}

/** Approved deployments to this environment since 00:00 UTC, plus this one. */
async function countTodaysDeployments(deps: Pick<HandlerDeps, "store">, request: DeploymentRequest, environment: string, now: Date) {
  const approved = await deps.store.count({ policy: "deploy", decision: "allow", repository: request.repository, environment, since: startOfUtcDay(now) });
  return approved + 1;
}

/** Adds the facts behind a failed rule (which checks failed, which commits lack a sign-off) to its violation. */
function explain(violations: Violation[], checks: ChecksVerdict, signOff: SignOffVerdict): Violation[] {
  return violations.map((violation) => {
    if (violation.code === "tests.failed") return { ...violation, detail: checks.reason };
    if (violation.code === "signoff.missing") return { ...violation, detail: signOff.reason };
    return violation;
  });
}
