// A deployment that may wait for evidence starts to: stored first (so a crash cannot lose it: the
// redelivery or the sweep finds it), then recorded `pending` with its first status report.
import type { DeploymentRequest } from "../domain/deployment-request.js";
import { waitingReport } from "../core/judge-wait.js";
import { postWaitingReport, waitingRowOf, type ReportContext } from "./wait-for-evidence.js";

export async function beginWaiting(
  context: ReportContext,
  request: DeploymentRequest,
  next: { missing: string[]; deadline: Date },
  requestedAt: Date,
): Promise<void> {
  const waiting = context.deps.store.waiting!;
  const id = context.deliveryKey;
  await waiting.add(waitingRowOf(id, request, context.verdict, requestedAt, next.deadline));
  const effect = await postWaitingReport(context, next.missing, next.deadline, 1);
  if (effect.status === 422) {
    // GitHub says the rule is decided already (a person approved or rejected the job): nothing to wait for.
    await waiting.end(id, "ended", "GitHub answered 422: the deployment was already decided");
  } else {
    await waiting.keepWaiting(id, { text: waitingReport(next.missing), count: 1 });
  }
  context.log.info(
    { delivery: id, repository: request.repository, environment: request.environment, waiting_for: next.missing, until: next.deadline.toISOString() },
    "deployment_protection_rule: waiting for evidence",
  );
}
