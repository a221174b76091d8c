import type { PullRef } from "../domain/deployment-request.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";

/**
 * Pull requests of this repository that carry the commit: open ones, or the merged one that brought
 * it in. Closed-unmerged pull requests are left out: their reviews vouch for work that was abandoned.
 */
export async function pullsForCommit(github: GitHub, repo: RepoRef, sha: string): Promise<PullRef[]> {
  const pulls = await askGitHub(`listing pull requests of commit ${sha} in ${fullName(repo)}`, () =>
    github.paginate("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { ...repo, commit_sha: sha, per_page: 100 }),
  );
  const here = fullName(repo).toLowerCase();
  return pulls
    .filter((pull) => pull.state === "open" || Boolean(pull.merged_at))
    .filter((pull) => !pull.base?.repo?.full_name || pull.base.repo.full_name.toLowerCase() === here)
    .map((pull) => ({ number: pull.number, author: pull.user?.login ?? null }))
    .sort((a, b) => a.number - b.number);
}
