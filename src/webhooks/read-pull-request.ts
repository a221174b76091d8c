// The pull request a pull_request or pull_request_review webhook asks repol to judge, read the same
// way by the App and by `repol replay`.
import type { PullRequestUnderReview } from "../domain/pull-request.js";
import { snapshotOf, type PullRequestLike } from "../github/read-pull-request.js";

export interface PullRequestWebhook {
  action?: string;
  pull_request: PullRequestLike;
  repository: { name: string; owner: { login: string }; default_branch: string };
  /** What an `edited` action changed: base, title, body. */
  changes?: { base?: unknown; [field: string]: unknown } | null;
}

/** Always in the base repository (the webhook's `repository`): for a fork, the head repository is the contributor's. */
export function readPullRequestUnderReview({ pull_request, repository }: Pick<PullRequestWebhook, "pull_request" | "repository">): PullRequestUnderReview {
  return { ...snapshotOf(pull_request), owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
}

/** A title or body edit cannot change the verdict; a new base branch changes the check itself. */
export function editLeavesVerdict(event: string, payload: Pick<PullRequestWebhook, "action" | "changes">): boolean {
  return event === "pull_request" && payload.action === "edited" && !payload.changes?.base;
}
