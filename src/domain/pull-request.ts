// A pull request as repol judges it, whether read from a webhook or from the API.

export interface PullRequestSnapshot {
  number: number;
  state: string;
  draft: boolean;
  headRef: string;
  headSha: string;
  /** "owner/name" of the head repository; null when the fork was deleted. */
  headRepo: string | null;
  baseRef: string;
  author: string | null;
}

/** The pull request being judged, in the base repository (for a fork, never the fork). */
export interface PullRequestUnderReview extends PullRequestSnapshot {
  owner: string;
  repo: string;
  defaultBranch: string;
}
