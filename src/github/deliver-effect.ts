// The GitHub calls that carry a decision, described as plain data so they can wait in the outbox
// and be made again later, by this process or the next one.
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { postVerdict, type CheckRunTarget } from "./check-run.js";
import { sendDeploymentCallback, type DeploymentReview } from "./deployment-callback.js";
import { sendStatusReport, type DeploymentStatusReport } from "./deployment-status-report.js";
import { statusOf, type GitHub } from "./github-client.js";
import type { RenderedCheck } from "./render-check-output.js";

export type EffectRequest =
  | { kind: "deployment_callback"; review: DeploymentReview }
  /** A comment while the deployment waits for evidence; no decision. */
  | { kind: "deployment_status_report"; report: DeploymentStatusReport }
  /** checkRunId null: find our run for the SHA and name (unless the target knows there is none), or create it completed. */
  | { kind: "check_run"; target: CheckRunTarget; checkRunId: number | null; check: RenderedCheck };

export interface EffectAttempt {
  outcome: EffectOutcome;
  /** True when trying again later may succeed (GitHub down, slow or rate limiting). */
  retryable: boolean;
}

/** Makes the call once. Never throws: a failure is an outcome, marked retryable or not. */
export async function deliverEffect(github: GitHub, request: EffectRequest): Promise<EffectAttempt> {
  if (request.kind === "deployment_callback") {
    const outcome = await sendDeploymentCallback(github, request.review);
    // 422: the rule was already decided (an earlier attempt got through, or a person decided); final.
    return { outcome, retryable: !outcome.ok && retryableStatus(outcome.status, outcome.error) };
  }
  if (request.kind === "deployment_status_report") {
    const outcome = await sendStatusReport(github, request.report);
    return { outcome, retryable: !outcome.ok && retryableStatus(outcome.status, outcome.error) };
  }
  const checkRunId = request.checkRunId;
  try {
    const posted = await postVerdict(github, request.target, checkRunId, request.check);
    return { outcome: { kind: "check_run", ok: true, check_run_id: posted }, retryable: false };
  } catch (error) {
    const status = statusOf((error as Error).cause);
    const message = (error as Error).message;
    return {
      outcome: { kind: "check_run", ok: false, ...(checkRunId !== null ? { check_run_id: checkRunId } : {}), ...(status ? { status } : {}), error: message },
      retryable: retryableStatus(status, message),
    };
  }
}

/** No answer, a server error, or a rate limit; any other 4xx would be refused again. */
export function retryableStatus(status: number | undefined, message = ""): boolean {
  if (status === undefined || status >= 500 || status === 429 || status === 408) return true;
  return status === 403 && /rate limit/i.test(message);
}
