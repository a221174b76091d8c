// The parts of a deployment_protection_rule webhook repol acts on, read defensively: a payload missing
// one of them cannot be judged, and must say which.
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { DeploymentObject, DeploymentRequest } from "../domain/deployment-request.js";

export type { CommitSource } from "../domain/deployment-request.js";
import { parseCallbackUrl } from "../github/deployment-callback.js";

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
  event?: string;
};

/** `githubApiUrl`: the only API the callback URL may point at (see parseCallbackUrl). */
export function readDeploymentRequest(payload: DeploymentProtectionRulePayload, githubApiUrl: string): DeploymentRequest {
  const repository = payload.repository;
  const owner = nonEmpty(repository?.owner?.login) ?? "";
  const repo = nonEmpty(repository?.name) ?? "";
  const callbackUrl = nonEmpty(payload.deployment_callback_url);
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
    callbackUrl,
    callback: parseCallbackUrl(callbackUrl, githubApiUrl, owner, repo),
    actor: nonEmpty(payload.sender?.login),
    installationId: typeof payload.installation?.id === "number" ? payload.installation.id : null,
    deployment: deploymentObject(payload),
  };
}

/** Rules read it as given; a deployment missing an identifying field is not one repol can describe, so it is null. */
function deploymentObject(payload: DeploymentProtectionRulePayload): DeploymentObject | null {
  const deployment = payload.deployment;
  if (!deployment || typeof deployment.id !== "number") return null;
  const environment = nonEmpty(deployment.environment);
  const ref = nonEmpty(deployment.ref);
  const sha = nonEmpty(deployment.sha);
  if (environment === null || ref === null || sha === null) return null;
  return { id: deployment.id, environment, ref, sha, creator: nonEmpty(deployment.creator?.login), event: nonEmpty(payload.event) };
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
