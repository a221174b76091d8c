// A status report on a deployment protection rule: a comment without a decision, which GitHub shows on
// the waiting job (at most 10 per deployment). repol posts one while it waits for evidence.
import type { CallbackTarget } from "../domain/deployment-request.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { postToProtectionRule } from "./deployment-callback.js";
import type { GitHub } from "./github-client.js";

export interface DeploymentStatusReport extends CallbackTarget {
  environment: string;
  comment: string;
  /** 1 for the first report of this deployment, and so on: each is its own effect, never superseded. */
  number: number;
}

/** Posts the report. Never throws: the outcome (a 422 when the deployment was decided meanwhile) is returned. */
export function sendStatusReport(github: GitHub, report: DeploymentStatusReport): Promise<EffectOutcome> {
  // The same endpoint as the decision; without `state` GitHub records a comment and keeps the job waiting.
  return postToProtectionRule(github, report, { comment: report.comment }, "deployment_status_report");
}
