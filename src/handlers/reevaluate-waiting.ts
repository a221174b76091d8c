// A waiting deployment judged again with fresh facts: answered as soon as every rule passes (or a
// waited-for rule can no longer pass, or the wait ran out), otherwise a new status report when what it
// waits for changed. Called for webhooks that bring evidence, by the sweep, and at start.
import { waitingReport } from "../core/judge-wait.js";
import { decisionLinkOf } from "../domain/decision-link.js";
import type { DeploymentRequest } from "../domain/deployment-request.js";
import type { Log } from "../domain/log.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import type { WaitingDeployment } from "../durability/waiting-store.js";
import type { GitHub } from "../github/github-client.js";
import { answerOf, auditRow, decideSafely } from "./deployment.js";
import { answerOrWait, MAX_STATUS_REPORTS, postWaitingReport, type WaitDeps } from "./wait-for-evidence.js";
import { runStillWaiting } from "../github/run-still-waiting.js";

/** Long enough for one decision (GitHub's answers included); a replica that dies holding it frees it then. */
export const WAIT_CLAIM_MS = 120_000;

export interface ReevaluateOptions {
  /** Ask GitHub whether the run still waits first (the sweep and the restart do; webhooks need not). */
  askGitHub?: boolean;
}

/** Judges it again; resolves to when its closed deployment window opens if it keeps waiting for one. */
export async function reevaluateWaiting(deps: WaitDeps, github: GitHub, log: Log, id: string, options: ReevaluateOptions = {}): Promise<Date | null> {
  const waiting = deps.store.waiting;
  if (!waiting) return null;
  const claimed = await waiting.claim(id, WAIT_CLAIM_MS);
  // Another replica (or an earlier event here) is judging it now, or its wait is over.
  if (claimed === null) return null;
  const key = `${claimed.repository.toLowerCase()}#env:${claimed.environment.toLowerCase()}`;
  const inTurn = deps.perEnvironment ?? ((_key, work) => work());
  try {
    return await inTurn(key, () => judgeAgain(deps, github, log, claimed, options));
  } catch (error) {
    // Never left claimed: the next event or sweep tries again; the deadline still ends it in time.
    log.error({ delivery: id, err: error }, `while judging the waiting deployment ${claimed.repository} ${claimed.environment} again`);
    await waiting.keepWaiting(id, null);
    return null;
  }
}

async function judgeAgain(deps: WaitDeps, github: GitHub, log: Log, claimed: WaitingDeployment, options: ReevaluateOptions): Promise<Date | null> {
  const started = performance.now();
  const waiting = deps.store.waiting!;
  const now = deps.clock?.now() ?? new Date();
  if (options.askGitHub) {
    const still = await runStillWaiting(github, claimed).catch((error: unknown) => {
      // Not knowing is no reason to stop waiting, nor to skip the deadline below: judge as usual.
      log.warn({ delivery: claimed.id, err: error }, "could not ask GitHub whether the run still waits");
      return { waiting: true } as const;
    });
    if (!still.waiting) {
      await waiting.end(claimed.id, "ended", still.reason);
      log.info({ delivery: claimed.id, reason: still.reason }, "deployment_protection_rule: stopped waiting, the run no longer waits");
      return null;
    }
  }
  const request = claimed.request as DeploymentRequest;
  const judged = await decideSafely(request, github, deps, now);
  if (judged.outcome === "error" && now.getTime() < Date.parse(claimed.deadline)) {
    // GitHub or the store failed this time: that is no evidence either way, so the deployment keeps
    // waiting (unanswered, never approved) and the deadline still rejects it if the failure lasts.
    log.warn({ delivery: claimed.id, error: judged.error }, "could not judge a waiting deployment again; it keeps waiting");
    await waiting.keepWaiting(claimed.id, null);
    return null;
  }
  const next = answerOrWait(judged, new Date(claimed.requestedAt), now);
  if (next.kind === "answer") {
    const answer = answerOf(next.verdict, decisionLinkOf(deps.settings.publicUrl, claimed.id));
    const row = auditRow(`${claimed.id}/answer`, next.verdict, { kind: "deployment_callback", ok: false }, deps, performance.now() - started);
    if (!("review" in answer)) {
      await deps.store.insert({ ...row, effect: answer });
      await waiting.end(claimed.id, "ended", `not answered: ${answer.error ?? "no callback"}`);
      return null;
    }
    const recordDeps = { store: deps.store, github, log, installationId: request.installationId, policy: retryPolicyOf(deps) };
    // The unique delivery key `<id>/answer` lets only one replica record (and so send) the answer.
    const { inserted, outcome } = await recordAndDeliver(recordDeps, row, answer);
    const reason = outcome.status === 422 ? "GitHub answered 422: the deployment was already decided" : `answered: ${next.verdict.outcome}`;
    await waiting.end(claimed.id, "answered", inserted ? reason : "answered by another replica");
    log.info({ delivery: claimed.id, decision: next.verdict.outcome, callback: outcome.ok }, "deployment_protection_rule decided after waiting");
    return null;
  }
  const opensAt = next.opensAt ?? null;
  const text = waitingReport(next.missing);
  if (text === claimed.lastReport || claimed.reportsPosted >= MAX_STATUS_REPORTS) {
    await waiting.keepWaiting(claimed.id, null);
    return opensAt;
  }
  const number = claimed.reportsPosted + 1;
  const context = { deps, github, log, deliveryKey: `${claimed.id}/report-${number}`, verdict: judged, started };
  const effect = await postWaitingReport(context, next.missing, next.deadline, number);
  if (effect.status === 422) {
    await waiting.end(claimed.id, "ended", "GitHub answered 422: the deployment was already decided");
    return null;
  }
  await waiting.keepWaiting(claimed.id, { text, count: number });
  return opensAt;
}
