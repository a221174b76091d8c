import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";

/** The parts of a pull request repol judges, whether read from a webhook or from the API. */
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

/** The shape GitHub uses for a pull request in webhooks and in the REST API alike. */
export interface PullRequestLike {
  number: number;
  state: string;
  draft?: boolean | null;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string };
  user: { login: string } | null;
}

export function snapshotOf(pull: PullRequestLike): PullRequestSnapshot {
  return {
    number: pull.number,
    state: pull.state,
    draft: pull.draft === true,
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    headRepo: pull.head.repo?.full_name ?? null,
    baseRef: pull.base.ref,
    author: pull.user?.login ?? null,
  };
}

/** The pull request as GitHub has it now (a re-run must judge today's base branch and draft state). */
export async function readPullRequest(github: GitHub, repo: RepoRef, number: number): Promise<PullRequestSnapshot> {
  const { data } = await askGitHub(`reading pull request ${fullName(repo)}#${number}`, () =>
    github.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number }),
  );
  return snapshotOf(data);
}
