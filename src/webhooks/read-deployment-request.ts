// The parts of a deployment_protection_rule webhook repol acts on, read defensively: a payload missing
// one of them cannot be judged, and must say which.
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { DeploymentRequest } from "../domain/deployment-request.js";
import { parseCallbackUrl } from "../github/deployment-callback.js";

export type DeploymentProtectionRulePayload = EmitterWebhookEvent<"deployment_protection_rule.requested">["payload"];

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
    sha: nonEmpty(payload.deployment?.sha),
    ref: nonEmpty(payload.deployment?.ref),
    pulls: (Array.isArray(payload.pull_requests) ? payload.pull_requests : [])
      // A pull request whose base is another repository (a fork's own PR) says nothing about this one.
      .filter((pull) => !pull?.base?.repo?.id || repository?.id === undefined || pull.base.repo.id === repository.id)
      .filter((pull) => Number.isSafeInteger(pull?.number) && pull.number > 0)
      .map((pull) => ({ number: pull.number, author: typeof pull.user?.login === "string" ? pull.user.login : null })),
    callbackUrl,
    callback: parseCallbackUrl(callbackUrl, githubApiUrl, owner, repo),
    actor: nonEmpty(payload.sender?.login),
    installationId: typeof payload.installation?.id === "number" ? payload.installation.id : null,
  };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
