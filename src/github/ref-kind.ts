import type { RefKind } from "../core/facts.js";
import { fullName, gitHubFailure, statusOf, type GitHub, type RepoRef } from "./github-client.js";

/**
 * A deployment's ref is often a bare name, which could be a branch or a tag. Ask git which one
 * exists instead of guessing from its shape.
 */
export async function refKind(github: GitHub, repo: RepoRef, name: string): Promise<RefKind> {
  const [branch, tag] = await Promise.all([refExists(github, repo, `heads/${name}`), refExists(github, repo, `tags/${name}`)]);
  if (branch && tag) return "both";
  if (branch) return "branch";
  return tag ? "tag" : "neither";
}

async function refExists(github: GitHub, repo: RepoRef, ref: string): Promise<boolean> {
  try {
    // git/ref/ (singular) matches exactly; git/refs/ would also match longer names sharing the prefix.
    await github.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref });
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw gitHubFailure(`looking up refs/${ref} in ${fullName(repo)}`, error);
  }
}
