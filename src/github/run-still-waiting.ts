// Whether GitHub still holds a workflow run at repol's gate: a run cancelled, or decided by a person,
// lists no pending deployment for the environment any more.
import { statusOf, type GitHub } from "./github-client.js";

export type StillWaiting = { waiting: true } | { waiting: false; reason: string };

export async function runStillWaiting(github: GitHub, deployment: { repository: string; runId: number; environment: string }): Promise<StillWaiting> {
  const [owner, repo] = deployment.repository.split("/") as [string, string];
  let data: { environment: { name?: string } }[];
  try {
    ({ data } = await github.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments", { owner, repo, run_id: deployment.runId }));
  } catch (error) {
    if (statusOf(error) === 404) return { waiting: false, reason: `GitHub no longer knows run ${deployment.runId} (404)` };
    throw new Error(`while asking GitHub whether run ${deployment.runId} of ${deployment.repository} still waits`, { cause: error });
  }
  const environment = deployment.environment.toLowerCase();
  // GitHub compares environment names without case.
  const pending = data.some((entry) => entry.environment.name?.toLowerCase() === environment);
  if (pending) return { waiting: true };
  return {
    waiting: false,
    reason: `GitHub lists no pending deployment to ${deployment.environment} for run ${deployment.runId}: the run was cancelled or decided`,
  };
}
