import type { CheckRunLike, CommitStatusLike } from "../core/judge-checks.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";

/** Every check run (latest per name) and every commit status on the commit, all pages. */
export async function commitChecks(github: GitHub, repo: RepoRef, sha: string): Promise<{ checkRuns: CheckRunLike[]; statuses: CommitStatusLike[] }> {
  const [checkRuns, statuses] = await Promise.all([
    askGitHub(`listing check runs of ${sha} in ${fullName(repo)}`, () =>
      github.paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: sha, filter: "latest", per_page: 100 }),
    ),
    askGitHub(`listing commit statuses of ${sha} in ${fullName(repo)}`, () =>
      github.paginate("GET /repos/{owner}/{repo}/commits/{ref}/statuses", { ...repo, ref: sha, per_page: 100 }),
    ),
  ]);
  return { checkRuns, statuses };
}
