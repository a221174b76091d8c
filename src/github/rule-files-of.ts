// The `.rego` files below `.repol/policies/` of a default branch, from the tree the facts query read
// (facts-queries.ts spells out RULE_TREE_DEPTH levels). Whatever that answer cannot give in full — a
// directory deeper than the query reads, a binary, cut-short or non-UTF-8 blob, a symlink or a
// submodule — is reported as the list's problem rather than fetched or skipped: rules missing from
// the list would let through what they deny, so a caller that uses rule files fails closed on it.
import type { PolicyFile, RuleFiles } from "../core/facts.js";
import type { TreeEntryAnswer } from "./facts-answer.js";
import { RULE_TREE_DEPTH, RULES_PATH } from "./facts-queries.js";
import { exactText, SYMLINK_MODE } from "./policy-file-of.js";

export const NO_RULE_FILES: RuleFiles = { files: [], problem: null };

/** `ref` is the fully qualified branch (`refs/heads/main`); `where` names the repository in problems. */
export function ruleFilesOf(entry: TreeEntryAnswer | null | undefined, ref: string, where: string): RuleFiles {
  if (!entry) return NO_RULE_FILES;
  if (entry.type !== "tree") return { files: [], problem: `${RULES_PATH} on ${ref} of ${where} is not a directory` };
  const files: PolicyFile[] = [];
  const problems: string[] = [];
  const walk = (entries: TreeEntryAnswer[] | undefined, dir: string) => {
    if (entries === undefined) {
      problems.push(`${dir} is nested deeper than the ${RULE_TREE_DEPTH} directory levels repol reads below ${RULES_PATH}`);
      return;
    }
    for (const child of entries) {
      const path = child.path ?? `${dir}/${child.name ?? "?"}`;
      if (child.type === "tree") walk(child.object?.entries, path);
      else if (child.type === "commit") problems.push(`${path} is a submodule, whose rules repol cannot read`);
      else if (path.endsWith(".rego")) {
        const text = child.mode === SYMLINK_MODE || !child.object ? null : exactText(child.object);
        if (text === null || !child.object?.oid) problems.push(`${path} cannot be read as UTF-8 text (a symlink, binary or too large)`);
        else files.push({ path, ref, text, sha: child.object.oid });
      }
    }
  };
  walk(entry.object?.entries, RULES_PATH);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problem: problems.length > 0 ? `${where}: ${problems.join("; ")}` : null };
}
