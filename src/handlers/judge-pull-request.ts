// The script every pull request event ends in: gather facts (one query, which also finds our check
// run) → decide → record the verdict with the check run write in the outbox, and send it. Every path
// ends in a row; none in a pass on error.
import type { Log } from "../domain/log.js";
import { buildAuditRecord, type RecordedVerdict } from "../audit/build-audit-record.js";
import type { NewAuditRecord } from "../audit/record.js";
import { decidePullRequest, failedPullRequestVerdict, type PullRequestVerdict } from "../core/decide-pull-request.js";
import type { DecisionFacts } from "../core/facts.js";
import { messageOf } from "../core/message-of.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { decisionLinkOf } from "../domain/decision-link.js";
import { NO_INSTALLATION } from "../domain/not-judged.js";
import type { PullRequestUnderReview } from "../domain/pull-request.js";
import { checkRunName, type CheckRunTarget } from "../github/check-run.js";
import type { EffectRequest } from "../github/deliver-effect.js";
import type { GitHub } from "../github/github-client.js";
import { renderCheckOutput, shownOf } from "../github/render-check-output.js";
import { alreadyDecided } from "../durability/already-decided.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import { previewable, previewPolicyIfChanged } from "./preview-policy.js";
import { repositoryFacts } from "./repository-facts.js";
import type { HandlerDeps } from "./types.js";

/** The webhook a pull request is judged for, as plain data. */
export interface PullRequestDelivery {
  /** The delivery id, with a suffix when one delivery judges several pull requests. */
  key: string;
  event: string;
  action: string | null;
  repository: string;
  installationId: number | null;
  actor: string | null;
  github: GitHub;
  log: Log;
}

export async function judgePullRequest(delivery: PullRequestDelivery, deps: HandlerDeps, pr: PullRequestUnderReview): Promise<void> {
  await deps.perCommit(`${pr.owner}/${pr.repo}@${pr.headSha}`.toLowerCase(), async () => {
    if (await alreadyDecided(deps.store, delivery.key, delivery.log)) return;
    const started = performance.now();
    const row = (verdict: RecordedVerdict, effect: EffectOutcome) =>
      pullRequestRow(delivery, pr, pr.headSha, verdict, effect, deps, performance.now() - started);
    const target: CheckRunTarget = {
      owner: pr.owner,
      repo: pr.repo,
      headSha: pr.headSha,
      name: checkRunName(pr.baseRef),
      appId: await appIdSafely(delivery, deps),
    };
    const repository = { owner: pr.owner, repo: pr.repo, fullName: delivery.repository };
    const facts = repositoryFacts(delivery.github, deps, repository, {
      ...(target.appId === undefined ? {} : { ownCheckRun: { name: target.name, appId: target.appId } }),
      // Read in the same query as the verdict's facts, so a preview costs no request of its own.
      proposedPolicy: previewable(delivery, pr),
    });
    const verdict = await decideSafely(pr, facts, deps);
    if (verdict.basis.kind === "not_judged" && !verdict.basis.answer.post) {
      // Out of the organisation's scope, or no pull request policy anywhere with `skip`: no check, no row.
      delivery.log.info({ delivery: delivery.key, pr: pr.number }, "pull request not judged: no policy applies to it");
      await previewPolicyIfChanged(delivery, deps, pr, facts);
      return;
    }
    const checkRunId = await facts.ownCheckRunId();
    const check = {
      ...renderCheckOutput(shownOf(pr), verdict.basis, customRulesShown(verdict)),
      detailsUrl: decisionLinkOf(deps.settings.publicUrl, delivery.key),
    };
    const { outcome } = await recordVerdict(delivery, deps, row(verdict, { kind: "check_run", ok: false }), {
      kind: "check_run",
      target: checkRunId === null ? { ...target, knownAbsent: true } : target,
      checkRunId: checkRunId ?? null,
      check,
    });
    delivery.log.info(
      { delivery: delivery.key, pr: pr.number, sha: pr.headSha, decision: verdict.outcome, check_run: outcome.check_run_id ?? checkRunId },
      "pull request judged",
    );
    // Its own check run, after the verdict's, so the preview never delays the verdict.
    await previewPolicyIfChanged(delivery, deps, pr, facts);
  });
}

async function decideSafely(pr: PullRequestUnderReview, facts: DecisionFacts, deps: HandlerDeps): Promise<PullRequestVerdict> {
  try {
    return await decidePullRequest(pr, facts, deps.engine, { customRules: deps.customRules, now: deps.clock?.now() ?? new Date(), configs: deps.configs });
  } catch (error) {
    // decidePullRequest turns failures into verdicts itself; this guards against a bug there leaving the check in progress.
    return failedPullRequestVerdict(messageOf(error));
  }
}

function customRulesShown({ customRules, violations, warnings }: PullRequestVerdict) {
  return customRules ? { applied: customRules, violations, warnings } : undefined;
}

/** Without our App's id, our run is found by name alone when the verdict is posted. */
async function appIdSafely(delivery: PullRequestDelivery, deps: HandlerDeps): Promise<number | undefined> {
  try {
    return await deps.appId(delivery.github);
  } catch (error) {
    delivery.log.warn({ delivery: delivery.key, err: error }, "could not read the App's id; its check run is looked up by name");
    return undefined;
  }
}

/** Recorded with the check run update queued in the outbox, then sent; one GitHub does not take now is sent later. */
export function recordVerdict(delivery: PullRequestDelivery, deps: HandlerDeps, row: NewAuditRecord, request: EffectRequest) {
  const recordDeps = { store: deps.store, github: delivery.github, log: delivery.log, installationId: delivery.installationId, policy: retryPolicyOf(deps) };
  return recordAndDeliver(recordDeps, row, request);
}

/**
 * A delivery without an installation (a repository or organisation webhook pointed at repol) is
 * recorded as not judged, and GitHub is not asked anything: see NO_INSTALLATION.
 */
export async function refusedWithoutInstallation(
  delivery: PullRequestDelivery,
  deps: HandlerDeps,
  pr: PullRequestUnderReview | null,
  sha: string,
): Promise<boolean> {
  if (delivery.installationId !== null) return false;
  delivery.log.warn({ delivery: delivery.key, event: delivery.event }, `not judged: ${NO_INSTALLATION}`);
  const effect: EffectOutcome = { kind: "check_run", ok: false, error: `not posted: ${NO_INSTALLATION}` };
  await deps.store.insert(pullRequestRow(delivery, pr, sha, failedPullRequestVerdict(NO_INSTALLATION), effect, deps, 0));
  return true;
}

export function pullRequestRow(
  delivery: PullRequestDelivery,
  pr: PullRequestUnderReview | null,
  sha: string,
  verdict: RecordedVerdict,
  effect: EffectOutcome,
  deps: HandlerDeps,
  durationMs: number,
): NewAuditRecord {
  const subject = {
    delivery_id: delivery.key,
    event: delivery.event,
    action: delivery.action,
    policy: "pullrequest" as const,
    repository: delivery.repository,
    installation_id: delivery.installationId,
    environment: null,
    ref: pr ? `refs/heads/${pr.baseRef}` : null,
    sha,
    pr_number: pr?.number ?? null,
    actor: delivery.actor,
  };
  return buildAuditRecord(subject, verdict, { bundleDigest: deps.engine.digest, durationMs, effect });
}
