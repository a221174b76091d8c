// The `.repol` files a pull request proposes, as its head commit holds them: the facts query reads
// them beside the rules in force (PROPOSED_FILES in facts-queries.ts), so the `repol policy preview`
// costs no request of its own. A changed path repol does not read is handed on with no text, so the
// preview reports it as an unknown file rather than ignoring it.
import type { ProposedFiles } from "../org/proposed-policy.js";
import type { CommitAnswer } from "./facts-answer.js";
import { ORG_CONFIG_PATHS, PROPOSED_FILES, RULES_PATH } from "./facts-queries.js";
import { fullName, type GitHub, type RepoRef } from "./github-client.js";
import { policyFileOf } from "./policy-file-of.js";
import type { ListedPath } from "./repo-facts.js";

type Key = keyof typeof ORG_CONFIG_PATHS;
const KEYS = Object.keys(ORG_CONFIG_PATHS) as Key[];

/** Changed paths below `.repol/` that the change keeps (a removed file proposes nothing to read). */
export function changedPolicyPaths(changed: readonly ListedPath[]): string[] {
  return changed.filter((file) => file.path.startsWith(".repol/") && !file.removed).map((file) => file.path);
}

/**
 * What the preview validates, from the facts query's head commit: each changed YAML path with the
 * head's text, "" for a path repol does not read. An error when the query did not read them (a fork, or GitHub failing).
 */
export async function proposedFilesOf(
  github: GitHub,
  repo: RepoRef,
  headRef: string,
  commit: CommitAnswer | null,
  paths: readonly string[],
): Promise<ProposedFiles> {
  const what = `the proposed .repol files of ${fullName(repo)} on ${headRef}`;
  if (!commit) throw new Error(`GitHub did not find the head commit holding ${what}`);
  if (KEYS.some((key) => commit[PROPOSED_FILES[key]] === undefined))
    throw new Error(`the facts query holds none of ${what} (not asked for them, or GitHub failed to give them)`);
  const files: ProposedFiles = {};
  for (const path of paths) {
    // Custom rules are previewed by the rules' own checks; here only the YAML policy files count.
    if (path.startsWith(`${RULES_PATH}/`)) continue;
    const key = KEYS.find((name) => ORG_CONFIG_PATHS[name] === path);
    if (key === undefined) {
      files[path] = "";
      continue;
    }
    const file = await policyFileOf(github, repo, path, headRef, commit[PROPOSED_FILES[key]]);
    // Invalid UTF-8 fails the read (the preview is then not posted), never silently repaired.
    if (file !== null) files[path] = typeof file.text === "string" ? file.text : new TextDecoder("utf-8", { fatal: true }).decode(file.text);
  }
  return files;
}
