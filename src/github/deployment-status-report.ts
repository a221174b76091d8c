// A status report on a deployment protection rule: a comment without a decision, which GitHub shows on
// the waiting job (at most 10 per deployment). repol posts one while it waits for evidence.
import type { CallbackTarget } from "../domain/deployment-request.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { describeFailure, statusOf, type GitHub } from "./github-client.js";

export interface DeploymentStatusReport extends CallbackTarget {
  environment: string;
  comment: string;
  /** 1 for the first report of this deployment, and so on: each is its own effect, never superseded. */
  number: number;
}

/** Posts the report. Never throws: the outcome (a 422 when the deployment was decided meanwhile) is returned. */
export async function sendStatusReport(github: GitHub, report: DeploymentStatusReport): Promise<EffectOutcome> {
  try {
    // The same endpoint as the decision; without `state` GitHub records a comment and keeps the job waiting.
    const response = await github.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
      owner: report.owner,
      repo: report.repo,
      run_id: report.runId,
      environment_name: report.environment,
      comment: report.comment,
      request: { redirect: "error" },
    });
    return { kind: "deployment_status_report", ok: true, status: response.status };
  } catch (error) {
    const status = statusOf(error);
    return { kind: "deployment_status_report", ok: false, ...(status ? { status } : {}), error: describeFailure(error) };
  }
}
