// Pull request events, reviews and "Re-run" clicks: judge the pull request, post its check run
// `repol (<base>)` on the head SHA, record one audit row. Every path ends in a row; none in a pass on error.
import type { Context } from "probot";
import type { EffectOutcome, NewAuditRecord } from "../audit/record.js";
import { appIdOf } from "../github/app-id-of.js";
import { checkRunName, isRepolCheckName, startCheckRun, type CheckRunTarget } from "../github/check-run.js";
import { retryableStatus } from "../github/deliver-effect.js";
import { statusOf, type GitHub } from "../github/github-client.js";
import { readPullRequest, snapshotOf, type PullRequestLike } from "../github/read-pull-request.js";
import { renderEvaluationError } from "../github/render-check-output.js";
import { octokitRepoFacts } from "../github/repo-facts.js";
import { alreadyDecided } from "../durability/already-decided.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import { decidePullRequest, failedVerdict, type PullRequestUnderReview, type PullRequestVerdict } from "./decide-pull-request.js";
import { createKeyedQueue } from "../durability/keyed-queue.js";
import { requirePayloadFields } from "./payload-fields.js";
import type { EventHandler, HandlerDeps } from "./types.js";

export { decidePullRequest } from "./decide-pull-request.js";
export type { PullRequestInput, PullRequestUnderReview, PullRequestVerdict } from "./decide-pull-request.js";

type Repository = { name: string; owner: { login: string }; default_branch: string; full_name: string; id: number };
type Envelope = { action?: string; repository: Repository; sender?: { login: string } | null; installation?: { id: number } };
type Log = Context["log"];

const REPOSITORY_FIELDS = {
  "repository.id": "number", "repository.name": "string", "repository.full_name": "string", "repository.owner.login": "string", "repository.default_branch": "string",
} as const;
const PULL_REQUEST_FIELDS = {
  ...REPOSITORY_FIELDS,
  "pull_request.number": "number", "pull_request.state": "string", "pull_request.head.ref": "string", "pull_request.head.sha": "string", "pull_request.base.ref": "string",
} as const;

// Two events for one commit must end with one check run, not two: the intake runs a pull request's
// events one after another, but a "Re-run" (keyed by commit) can meet a push or a review (keyed by pull request).
const perCommit = createKeyedQueue();

export const handlePullRequest: EventHandler = async (context, deps) => {
  const payload = context.payload as Envelope & { pull_request: PullRequestLike; changes?: { base?: unknown } };
  // A title or body edit cannot change the verdict; a new base branch changes the check itself.
  if (payload.action === "edited" && !payload.changes?.base) return;
  requirePayloadFields(context.name, payload, PULL_REQUEST_FIELDS);
  await judge(context, deps, underReview(payload.repository, payload.pull_request), context.id);
};

export const handlePullRequestReview: EventHandler = async (context, deps) => {
  const payload = context.payload as Envelope & { pull_request: PullRequestLike };
  requirePayloadFields(context.name, payload, PULL_REQUEST_FIELDS);
  await judge(context, deps, underReview(payload.repository, payload.pull_request), context.id);
};

interface RerunSubject {
  head_sha: string;
  app?: { id: number | null } | null;
  pull_requests: { number: number; base: { repo: { id: number } } }[];
}

/** check_run.rerequested / check_suite.rerequested: re-judge the pull requests behind our check. */
export const handleCheckRerequested: EventHandler = async (context, deps) => {
  const payload = context.payload as Envelope & { check_run?: RerunSubject & { id: number; name: string }; check_suite?: RerunSubject };
  const subject = payload.check_run ?? payload.check_suite;
  if (!subject) return;
  const subjectKey = payload.check_run ? "check_run" : "check_suite";
  requirePayloadFields(context.name, payload, { ...REPOSITORY_FIELDS, [`${subjectKey}.head_sha`]: "string", [`${subjectKey}.pull_requests`]: "array" });
  const checkName = payload.check_run?.name ?? null;
  const github = context.octokit as GitHub;
  if (checkName !== null && !isRepolCheckName(checkName)) return;
  const appId = await appIdOf(github);
  if (appId !== undefined && subject.app?.id !== appId) return;

  const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const sha = subject.head_sha;
  const started = performance.now();
  let pulls: PullRequestUnderReview[];
  try {
    pulls = await pullsToRerun(github, payload.repository, subject, checkName);
  } catch (error) {
    const deliveryKey = `${context.id}:discovery`;
    if (await alreadyDecided(deps.store, deliveryKey, context.log)) return;
    // Without the pull request there is nothing to judge, but the re-run check must not keep an old green.
    const message = `could not find the pull request for ${sha.slice(0, 7)}: ${(error as Error).message}`;
    if (!payload.check_run) {
      const effect = { kind: "none" as const, ok: false, error: "no check run to post to" };
      await deps.store.insert(row(context, deliveryKey, null, sha, failedRow(message), effect, deps, performance.now() - started));
      return;
    }
    // Through the outbox like every verdict: a GitHub that fails now still gets the failure later.
    const pending = row(context, deliveryKey, null, sha, failedRow(message), { kind: "check_run", ok: false }, deps, performance.now() - started);
    await recordAndDeliver(
      { store: deps.store, github, log: context.log, installationId: payload.installation?.id ?? null, policy: retryPolicyOf(deps) },
      pending,
      { kind: "check_run", target: { ...repo, headSha: sha, name: payload.check_run.name, appId }, checkRunId: payload.check_run.id, check: renderEvaluationError(message) },
    );
    return;
  }
  if (pulls.length === 0) context.log.info({ delivery: context.id, sha }, "re-run: no open pull request has this commit as its head");
  for (const pr of pulls) {
    await judge(context, deps, pr, `${context.id}:pr-${pr.number}`);
  }
};

async function pullsToRerun(github: GitHub, repository: Repository, subject: RerunSubject, checkName: string | null): Promise<PullRequestUnderReview[]> {
  const repo = { owner: repository.owner.login, repo: repository.name };
  // GitHub leaves pull_requests empty for pull requests from forks; ask for them then.
  let numbers = subject.pull_requests.filter((pull) => pull.base.repo.id === repository.id).map((pull) => pull.number);
  if (numbers.length === 0) {
    const facts = octokitRepoFacts(github, { ...repo, defaultBranch: repository.default_branch });
    numbers = (await facts.pullsForCommit(subject.head_sha)).map((pull) => pull.number);
  }
  const pulls = await Promise.all([...new Set(numbers)].sort((a, b) => a - b).map((number) => readPullRequest(github, repo, number)));
  return pulls
    .filter((pull) => pull.state === "open" && pull.headSha === subject.head_sha)
    // A check named after an old base branch stays as it is; the pull request's current check is another run.
    .filter((pull) => checkName === null || checkRunName(pull.baseRef) === checkName)
    .map((pull) => ({ ...pull, ...repo, defaultBranch: repository.default_branch }));
}

async function judge(context: Context, deps: HandlerDeps, pr: PullRequestUnderReview, deliveryKey: string): Promise<void> {
  const github = context.octokit as GitHub;
  await perCommit(`${pr.owner}/${pr.repo}@${pr.headSha}`.toLowerCase(), async () => {
    if (await alreadyDecided(deps.store, deliveryKey, context.log)) return;
    const started = performance.now();
    let target: CheckRunTarget = { owner: pr.owner, repo: pr.repo, headSha: pr.headSha, name: checkRunName(pr.baseRef) };
    let checkRunId: number | null;
    try {
      target = { ...target, appId: await appIdOf(github) };
      checkRunId = (await startCheckRun(github, target)).id;
    } catch (error) {
      const status = statusOf((error as Error).cause);
      if (!retryableStatus(status, (error as Error).message)) {
        const message = `the check run could not be created: ${(error as Error).message}`;
        const effect: EffectOutcome = { kind: "check_run", ok: false, status, error: message };
        await deps.store.insert(row(context, deliveryKey, pr, pr.headSha, failedVerdict(pr, message), effect, deps, performance.now() - started));
        return;
      }
      // GitHub is failing for now: judge anyway; the outbox creates the run with the verdict once GitHub takes it.
      checkRunId = null;
    }
    let verdict: PullRequestVerdict;
    try {
      verdict = await decidePullRequest(pr, octokitRepoFacts(github, { owner: pr.owner, repo: pr.repo, defaultBranch: pr.defaultBranch }), deps);
    } catch (error) {
      // decidePullRequest turns failures into verdicts itself; this guards against a bug there leaving the check in progress.
      verdict = failedVerdict(pr, (error as Error).message);
    }
    const pending = row(context, deliveryKey, pr, pr.headSha, verdict, { kind: "check_run", ok: false }, deps, performance.now() - started);
    const installationId = (context.payload as Envelope).installation?.id ?? null;
    // Recorded with the check run update queued in the outbox, then sent; one GitHub does not take now is sent later.
    const { outcome } = await recordAndDeliver(
      { store: deps.store, github, log: context.log, installationId, policy: retryPolicyOf(deps) },
      pending,
      { kind: "check_run", target, checkRunId, check: verdict.check },
    );
    if (!outcome.ok) context.log.error({ delivery: deliveryKey, effect: outcome }, "pull request check: the verdict did not reach GitHub (yet)");
    context.log.info({ delivery: deliveryKey, pr: pr.number, sha: pr.headSha, decision: verdict.decision, check_run: outcome.check_run_id ?? checkRunId }, "pull request judged");
  });
}

function underReview(repository: Repository, pull: PullRequestLike): PullRequestUnderReview {
  // Always the base repository (the webhook's `repository`): for a fork, the head repository is the contributor's.
  return { ...snapshotOf(pull), owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
}

function failedRow(message: string): Pick<PullRequestVerdict, "decision" | "violations" | "input" | "configSha" | "error"> {
  return { decision: "error", violations: [], input: null, configSha: null, error: message };
}

function row(
  context: Context,
  deliveryKey: string,
  pr: PullRequestUnderReview | null,
  sha: string,
  verdict: Pick<PullRequestVerdict, "decision" | "violations" | "input" | "configSha" | "error">,
  effect: EffectOutcome,
  deps: HandlerDeps,
  durationMs: number,
): NewAuditRecord {
  const payload = context.payload as Envelope;
  return {
    delivery_id: deliveryKey,
    event: context.name,
    action: payload.action ?? null,
    policy: "pullrequest",
    decision: verdict.decision,
    repository: payload.repository.full_name,
    installation_id: payload.installation?.id ?? null,
    environment: null,
    ref: pr ? `refs/heads/${pr.baseRef}` : null,
    sha,
    pr_number: pr?.number ?? null,
    actor: payload.sender?.login ?? null,
    violations: verdict.violations,
    input: verdict.input,
    bundle_digest: deps.engine.digest,
    config_sha: verdict.configSha,
    duration_ms: Math.round(durationMs),
    effect,
    error: verdict.error,
  };
}
