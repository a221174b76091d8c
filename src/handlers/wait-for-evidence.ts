// The step between a deployment's verdict and its answer: answer now, or leave it waiting for evidence
// (stored, recorded `pending`, with a status report saying what it waits for).
import { buildAuditRecord } from "../audit/build-audit-record.js";
import type { DeploymentVerdict } from "../core/decide-deployment.js";
import { judgeWait, waitingReport } from "../core/judge-wait.js";
import type { DeploymentRequest } from "../domain/deployment-request.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { Log } from "../domain/log.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import type { WaitingDeployment } from "../durability/waiting-store.js";
import type { GitHub } from "../github/github-client.js";
import { renderWaitingReport } from "../github/render-waiting-report.js";
import type { HandlerDeps } from "./types.js";

/** GitHub keeps at most 10 comments per deployment; the 10th is left for the decision's own. */
export const MAX_STATUS_REPORTS = 9;

export type NextStep = { kind: "answer"; verdict: DeploymentVerdict } | { kind: "wait"; missing: string[]; deadline: Date; opensAt?: Date };

/** Whether to answer with `verdict` (a wait that can no longer succeed adds why), or wait for more evidence. */
export function answerOrWait(verdict: DeploymentVerdict, requestedAt: Date, now: Date): NextStep {
  const judgement = judgeWait(
    { outcome: verdict.outcome, violations: verdict.violations, checks: verdict.checks ?? null },
    verdict.wait ?? null,
    requestedAt,
    now,
  );
  if (judgement.kind === "decide") return { kind: "answer", verdict };
  if (judgement.kind === "wait") return judgement;
  const stopped = { code: `wait.${judgement.why}`, msg: `repol stopped waiting: ${judgement.message}`, rule: "wait", missing: judgement.missing };
  return { kind: "answer", verdict: { ...verdict, outcome: "deny", violations: [...verdict.violations, stopped] } };
}

/** What judging a deployment again needs; the sweep has it without a webhook. */
export type WaitDeps = Pick<HandlerDeps, "store" | "engine" | "customRules" | "settings" | "perEnvironment" | "clock" | "configs">;

export interface ReportContext {
  deps: WaitDeps;
  github: GitHub;
  log: Log;
  /** Key of the `pending` audit row: the request's delivery for the first report, `<it>/report-<n>` after. */
  deliveryKey: string;
  verdict: DeploymentVerdict;
  started: number;
}

/** Records a `pending` row with the status report queued in the outbox, and sends it. */
export async function postWaitingReport(context: ReportContext, missing: string[], deadline: Date, number: number): Promise<EffectOutcome> {
  const { deps, github, log, verdict } = context;
  const { callback, environment } = verdict.request;
  if (!callback.ok || environment === null) return { kind: "deployment_status_report", ok: false, error: "not called: no callback" };
  const comment = renderWaitingReport({ environment, report: waitingReport(missing), deadline });
  const report = { owner: callback.owner, repo: callback.repo, runId: callback.runId, environment, comment, number };
  const row = buildAuditRecord(
    subjectOf(context.deliveryKey, verdict),
    { ...verdict, outcome: "pending" },
    {
      bundleDigest: deps.engine.digest,
      durationMs: performance.now() - context.started,
      effect: { kind: "deployment_status_report", ok: false },
    },
  );
  const recordDeps = { store: deps.store, github, log, installationId: verdict.request.installationId, policy: retryPolicyOf(deps) };
  return (await recordAndDeliver(recordDeps, row, { kind: "deployment_status_report", report })).outcome;
}

/** The waiting row of a deployment that starts to wait now. */
export function waitingRowOf(
  deliveryId: string,
  request: DeploymentRequest,
  verdict: DeploymentVerdict,
  requestedAt: Date,
  deadline: Date,
): Omit<WaitingDeployment, "status" | "endReason"> {
  const callback = request.callback as Extract<DeploymentRequest["callback"], { ok: true }>;
  return {
    id: deliveryId,
    repository: request.repository,
    installationId: request.installationId!,
    runId: callback.runId,
    environment: request.environment!,
    sha: request.sha!,
    ref: request.ref!,
    pullNumbers: verdict.request.pulls.map((pull) => pull.number),
    callbackUrl: request.callbackUrl!,
    request,
    requestedAt: requestedAt.toISOString(),
    deadline: deadline.toISOString(),
    reportsPosted: 0,
    lastReport: null,
  };
}

/** The audit subject of a deployment decision or report, under `deliveryKey`. */
export function subjectOf(deliveryKey: string, verdict: DeploymentVerdict) {
  const { request } = verdict;
  return {
    delivery_id: deliveryKey,
    event: "deployment_protection_rule",
    action: "requested",
    policy: "deploy" as const,
    repository: request.repository || null,
    installation_id: request.installationId,
    environment: request.environment,
    ref: verdict.ref ?? request.ref,
    sha: request.sha,
    pr_number: request.pulls[0]?.number ?? null,
    actor: request.actor,
  };
}
