// Who approved a deployed commit and whether it is signed off, from the pull requests behind it (the
// commit alone when there are none).
import type { DeploymentEvidence } from "./facts.js";
import { judgePullSignOff, judgeSignOff, type SignOffVerdict } from "./judge-sign-off.js";
import { approversOf } from "./latest-approvers.js";

export interface CommitReviews {
  approvers: string[];
  signOff: SignOffVerdict;
}

export function judgeCommitReviews({ pulls, commit }: Pick<DeploymentEvidence, "pulls" | "commit">): CommitReviews {
  // With several pull requests, the author of any of them is not an independent reviewer of the commit.
  const authors = new Set(pulls.flatMap((pull) => (pull.author ? [pull.author.toLowerCase()] : [])));
  const approvers = [...new Set(pulls.flatMap((pull) => approversOf(pull)))].filter((login) => !authors.has(login.toLowerCase())).sort();
  if (pulls.length === 0) return { approvers, signOff: judgeSignOff(commit === null ? [] : [commit]) };
  const signOffs = pulls.map((pull) => judgePullSignOff(pull));
  return {
    approvers,
    signOff: combineSignOffs(
      signOffs,
      pulls.map((pull) => pull.number),
    ),
  };
}

function combineSignOffs(verdicts: SignOffVerdict[], pullNumbers: number[]): SignOffVerdict {
  if (verdicts.length === 1) return verdicts[0]!;
  const labelled = verdicts.map((verdict, i) => ({ verdict, label: `#${pullNumbers[i]}` }));
  const unsigned = labelled.filter(({ verdict }) => !verdict.signedOff);
  return {
    signedOff: unsigned.length === 0,
    reason: (unsigned.length > 0 ? unsigned : labelled).map(({ verdict, label }) => `${label}: ${verdict.reason}`).join("; "),
    unsigned: unsigned.flatMap(({ verdict }) => verdict.unsigned),
    checked: verdicts.reduce((sum, verdict) => sum + verdict.checked, 0),
  };
}
