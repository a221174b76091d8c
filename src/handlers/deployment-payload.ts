// The parts of a deployment_protection_rule webhook repol acts on, read defensively: a payload missing
// one of them cannot be judged, and must say which.
import type { EmitterWebhookEvent } from "@octokit/webhooks";

type PublishedPayload = EmitterWebhookEvent<"deployment_protection_rule.requested">["payload"];

/**
 * The webhook as GitHub's current description gives it: top-level `sha` and `ref`, always filled from
 * the check suite, and a `deployment` that is null when a job uses an environment without creating a
 * deployment. The published types (@octokit/openapi-webhooks-types 12) predate both.
 */
export type DeploymentProtectionRulePayload = Omit<PublishedPayload, "deployment"> & {
  deployment?: PublishedPayload["deployment"] | null;
  sha?: string;
  ref?: string;
};

/** Where the deployed commit was read: the top-level `sha`/`ref`, or `deployment.sha`/`deployment.ref`. */
export type CommitSource = "top_level" | "deployment";

export interface DeploymentRequest {
  owner: string;
  repo: string;
  /** "owner/name" */
  repository: string;
  repositoryId: number | null;
  defaultBranch: string | null;
  environment: string | null;
  sha: string | null;
  /** The deployment's ref as GitHub sent it: a bare branch or tag name, a full ref, or a SHA. */
  ref: string | null;
  /** Which pair of fields `sha` and `ref` came from; null when neither pair is complete. */
  commitSource: CommitSource | null;
  /** Pull request numbers GitHub attached to the webhook (may be empty). */
  pulls: { number: number; author: string | null }[];
  callbackUrl: string | null;
  actor: string | null;
  installationId: number | null;
}

export function readDeploymentRequest(payload: DeploymentProtectionRulePayload): DeploymentRequest {
  const repository = payload.repository;
  const owner = nonEmpty(repository?.owner?.login) ?? "";
  const repo = nonEmpty(repository?.name) ?? "";
  return {
    owner,
    repo,
    repository: nonEmpty(repository?.full_name) ?? `${owner}/${repo}`,
    repositoryId: typeof repository?.id === "number" ? repository.id : null,
    defaultBranch: nonEmpty(repository?.default_branch),
    environment: nonEmpty(payload.environment) ?? nonEmpty(payload.deployment?.environment),
    ...deployedCommit(payload),
    pulls: (Array.isArray(payload.pull_requests) ? payload.pull_requests : [])
      // A pull request whose base is another repository (a fork's own PR) says nothing about this one.
      .filter((pull) => !pull?.base?.repo?.id || repository?.id === undefined || pull.base.repo.id === repository.id)
      .filter((pull) => Number.isSafeInteger(pull?.number) && pull.number > 0)
      .map((pull) => ({ number: pull.number, author: typeof pull.user?.login === "string" ? pull.user.login : null })),
    callbackUrl: nonEmpty(payload.deployment_callback_url),
    actor: nonEmpty(payload.sender?.login),
    installationId: typeof payload.installation?.id === "number" ? payload.installation.id : null,
  };
}

/**
 * The top-level pair when GitHub sent it (it always does today, with or without a deployment), else the
 * deployment's. Never one field of each: they could name different commits.
 */
function deployedCommit(payload: DeploymentProtectionRulePayload): Pick<DeploymentRequest, "sha" | "ref" | "commitSource"> {
  const topLevel = { sha: nonEmpty(payload.sha), ref: nonEmpty(payload.ref), commitSource: "top_level" as const };
  const deployment = { sha: nonEmpty(payload.deployment?.sha), ref: nonEmpty(payload.deployment?.ref), commitSource: "deployment" as const };
  const complete = [topLevel, deployment].find((pair) => pair.sha !== null && pair.ref !== null);
  if (complete) return complete;
  // Not judged: the fuller pair is kept so the rejection names only what it lacks.
  const filled = (pair: { sha: string | null; ref: string | null }) => Number(pair.sha !== null) + Number(pair.ref !== null);
  const fuller = filled(deployment) > filled(topLevel) ? deployment : topLevel;
  return { sha: fuller.sha, ref: fuller.ref, commitSource: null };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
