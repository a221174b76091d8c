import type { PullRequestSnapshot, PullRequestUnderReview } from "../domain/pull-request.js";
import { checkRunName } from "./check-run.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";
import { pullsForCommit } from "./pulls-for-commit.js";

/** The fields repol reads of a pull request, common to webhooks and the REST API. */
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

export interface RerunRequest {
  repository: RepoRef & { id: number; defaultBranch: string };
  headSha: string;
  /** The pull requests the check_run / check_suite webhook names. */
  pulls: readonly { number: number; base: { repo: { id: number } } }[];
  /** The re-run check's name; null for a whole check suite. */
  checkName: string | null;
}

/** The open pull requests whose head is the re-run commit, as they are now. */
export async function pullRequestsToRerun(github: GitHub, { repository, headSha, pulls, checkName }: RerunRequest): Promise<PullRequestUnderReview[]> {
  const repo = { owner: repository.owner, repo: repository.repo };
  // GitHub leaves pull_requests empty for pull requests from forks; ask for them then.
  let numbers = pulls.filter((pull) => pull.base.repo.id === repository.id).map((pull) => pull.number);
  if (numbers.length === 0) numbers = (await pullsForCommit(github, repo, headSha)).map((pull) => pull.number);
  const current = await Promise.all([...new Set(numbers)].sort((a, b) => a - b).map((number) => readPullRequest(github, repo, number)));
  return (
    current
      .filter((pull) => pull.state === "open" && pull.headSha === headSha)
      // A check named after an old base branch stays as it is; the pull request's current check is another run.
      .filter((pull) => checkName === null || checkRunName(pull.baseRef) === checkName)
      .map((pull) => ({ ...pull, ...repo, defaultBranch: repository.defaultBranch }))
  );
}
