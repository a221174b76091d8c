import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";

/** Names of every environment defined on the repository (all pages). */
export async function environmentsOf(github: GitHub, repo: RepoRef): Promise<string[]> {
  const environments = await askGitHub(`listing environments of ${fullName(repo)}`, () =>
    github.paginate("GET /repos/{owner}/{repo}/environments", { ...repo, per_page: 100 }),
  );
  return environments.map((environment) => environment.name);
}
