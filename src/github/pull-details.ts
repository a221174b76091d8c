// What rules may read of a pull request (title, labels, changed files…), from the facts query's answer.
// Changed files cost one request per 100 beyond the first 100, so the rest are read only when the
// caller says some rule can use them; otherwise the list is marked truncated, never silently short.
import type { ChangedFile, PullRequestDetails } from "../core/facts.js";
import { nodesUpTo } from "./ask-graphql.js";
import type { ChangedFileNode, PullAnswer } from "./facts-answer.js";
import { PAGE } from "./facts-queries.js";
import type { GitHub } from "./github-client.js";

/** GitHub lists at most this many changed files of a pull request, in REST and GraphQL alike. */
export const MAX_LISTED_FILES = 3000;

// GraphQL's PatchStatus, named as REST's `status` names it (the names rules are written against).
const STATUS: Record<string, ChangedFile["status"]> = {
  ADDED: "added",
  DELETED: "removed",
  MODIFIED: "modified",
  RENAMED: "renamed",
  COPIED: "copied",
  CHANGED: "changed",
};

export async function pullDetailsOf(github: GitHub, where: string, pull: PullAnswer, wantAllChangedFiles: boolean): Promise<PullRequestDetails> {
  if (!pull.files || !pull.labels) throw new Error(`GitHub left out the changed files or labels of ${where}`);
  // GitHub caps labels per pull request at 100, so a further page means the answer is not what repol expects.
  if (pull.labels.pageInfo.hasNextPage) throw new Error(`${where} has more labels than the ${PAGE.labels} repol reads`);
  const labels = (pull.labels.nodes ?? []).map((label) => {
    if (!label) throw new Error(`GitHub left out a label of ${where}`);
    return label.name;
  });
  const limit = wantAllChangedFiles ? MAX_LISTED_FILES : 0;
  const { nodes, more } = await nodesUpTo(github, `listing changed files of ${where}`, "files", pull.id, pull.files, limit);
  return {
    title: pull.title,
    body: pull.body,
    labels,
    draft: pull.isDraft,
    base: pull.baseRefName,
    head: pull.headRefName,
    headSha: pull.headRefOid,
    additions: pull.additions,
    deletions: pull.deletions,
    changedFiles: nodes.slice(0, MAX_LISTED_FILES).map((file) => changedFileOf(file, where)),
    changedFilesTruncated: more || nodes.length > MAX_LISTED_FILES || pull.changedFiles > MAX_LISTED_FILES,
  };
}

function changedFileOf(file: ChangedFileNode, where: string): ChangedFile {
  const status = STATUS[file.changeType];
  // A status repol cannot name would make a rule on it judge something else: refuse it instead.
  if (!status) throw new Error(`GitHub gave ${file.path} of ${where} an unknown change type ${file.changeType}`);
  return { path: file.path, status, additions: file.additions, deletions: file.deletions };
}
