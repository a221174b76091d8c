// The `.repol` files a pull request changes, as its head commit holds them, in one GraphQL request:
// what `repol policy preview` validates and replays. A changed path repol does not read is handed on
// with no text, so the preview reports it as an unknown file rather than ignoring it.
import type { ProposedFiles } from "../org/proposed-policy.js";
import { askGraphQL } from "./ask-graphql.js";
import type { TreeEntryAnswer } from "./facts-answer.js";
import { ORG_CONFIG_PATHS, proposedPolicyQuery, RULES_PATH } from "./facts-queries.js";
import { fullName, type GitHub, type RepoRef } from "./github-client.js";
import { policyFileOf } from "./policy-file-of.js";
import type { ListedPath } from "./repo-facts.js";

type Key = keyof typeof ORG_CONFIG_PATHS;
type HeadAnswer = { repository: { head: Partial<Record<Key, TreeEntryAnswer | null>> | null } | null };

/** Changed paths below `.repol/` that the change keeps (a removed file proposes nothing to read). */
export function changedPolicyPaths(changed: readonly ListedPath[]): string[] {
  return changed.filter((file) => file.path.startsWith(".repol/") && !file.removed).map((file) => file.path);
}

export async function proposedFilesOf(github: GitHub, repo: RepoRef, head: { sha: string; ref: string }, paths: readonly string[]): Promise<ProposedFiles> {
  const what = `reading the proposed .repol files of ${fullName(repo)}@${head.sha.slice(0, 7)}`;
  const data = await askGraphQL<HeadAnswer>(github, what, proposedPolicyQuery(), { owner: repo.owner, name: repo.repo, sha: head.sha });
  const entries = data.repository?.head;
  if (!entries) throw new Error(`GitHub did not find the head commit while ${what}`);
  const files: ProposedFiles = {};
  for (const path of paths) {
    // Custom rules are previewed by the rules' own checks; here only the YAML policy files count.
    if (path.startsWith(`${RULES_PATH}/`)) continue;
    const key = (Object.keys(ORG_CONFIG_PATHS) as Key[]).find((name) => ORG_CONFIG_PATHS[name] === path);
    if (key === undefined) {
      files[path] = "";
      continue;
    }
    const file = await policyFileOf(github, repo, path, head.ref, entries[key]);
    // Invalid UTF-8 fails the read (the preview is then not posted), never silently repaired.
    if (file !== null) files[path] = typeof file.text === "string" ? file.text : new TextDecoder("utf-8", { fatal: true }).decode(file.text);
  }
  return files;
}
