// The facts of one pull request its rules judge: author, commit count, reviews and commits (every page).
import type { PullRequestFacts } from "../core/facts.js";
import type { CommitLike } from "../core/judge-sign-off.js";
import type { ReviewLike } from "../core/latest-approvers.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";

export async function readPullFacts(github: GitHub, repo: RepoRef, number: number): Promise<PullRequestFacts> {
  const [{ data }, reviews, commits] = await Promise.all([
    askGitHub(`reading pull request ${fullName(repo)}#${number}`, () =>
      github.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number }),
    ),
    readReviews(github, repo, number),
    readPullCommits(github, repo, number),
  ]);
  return { number, author: data.user?.login ?? null, commitCount: data.commits, reviews, commits };
}

export function readReviews(github: GitHub, repo: RepoRef, number: number): Promise<ReviewLike[]> {
  return askGitHub(`reading reviews of ${fullName(repo)}#${number}`, () =>
    github.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...repo, pull_number: number, per_page: 100 }),
  );
}

/** GitHub lists at most 250 of them, whatever the page size. */
export function readPullCommits(github: GitHub, repo: RepoRef, number: number): Promise<CommitLike[]> {
  return askGitHub(`listing commits of ${fullName(repo)}#${number}`, () =>
    github.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", { ...repo, pull_number: number, per_page: 100 }),
  );
}

/** The single commit, when a deployment has no pull request behind it. */
export async function readCommit(github: GitHub, repo: RepoRef, sha: string): Promise<CommitLike> {
  const { data } = await askGitHub(`reading commit ${sha} of ${fullName(repo)}`, () =>
    github.request("GET /repos/{owner}/{repo}/commits/{ref}", { ...repo, ref: sha }),
  );
  return data;
}
