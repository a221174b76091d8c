// Whether commits carry their author's "Signed-off-by:" trailer. Pure: the commits arrive as data.

export interface CommitLike {
  sha: string;
  commit: { message: string; author: { email?: string | null } | null };
}

export interface SignOffVerdict {
  signedOff: boolean;
  /** One sentence a user can act on. */
  reason: string;
  /** Commits without a sign-off naming their author (short SHA and author email). */
  unsigned: { sha: string; email: string | null }[];
  /** How many commits were checked. */
  checked: number;
}

/** GitHub's "list commits on a pull request" stops at this many, whatever the page size. */
export const PULL_COMMITS_LIST_LIMIT = 250;

/**
 * Every commit of the pull request signed off by its author. GitHub lists at most 250 commits of a
 * pull request: when it lists fewer than it counts, the unseen ones cannot be vouched for.
 */
export function judgePullSignOff(pull: { number: number; commitCount: number; commits: readonly CommitLike[] }): SignOffVerdict {
  if (pull.commits.length < pull.commitCount) {
    return {
      signedOff: false,
      reason: `#${pull.number} has ${pull.commitCount} commits but GitHub lists only ${pull.commits.length} (its limit is ${PULL_COMMITS_LIST_LIMIT}), so repol cannot check every sign-off; split the pull request`,
      unsigned: [],
      checked: pull.commits.length,
    };
  }
  return judgeSignOff(pull.commits);
}

export function judgeSignOff(commits: readonly CommitLike[]): SignOffVerdict {
  const unsigned = commits
    .filter((commit) => !hasSignOff(commit.commit.message, commit.commit.author?.email ?? null))
    .map((commit) => ({ sha: commit.sha.slice(0, 7), email: commit.commit.author?.email ?? null }));
  if (commits.length === 0) return { signedOff: false, reason: "there are no commits to check", unsigned, checked: 0 };
  if (unsigned.length === 0) return { signedOff: true, reason: `all ${commits.length} commits are signed off`, unsigned, checked: commits.length };
  const shown = unsigned
    .slice(0, 5)
    .map((commit) => `${commit.sha} (${commit.email ?? "no author email"})`)
    .join(", ");
  const more = unsigned.length > 5 ? ` and ${unsigned.length - 5} more` : "";
  return {
    signedOff: false,
    reason: `${unsigned.length} of ${commits.length} commits lack a "Signed-off-by:" trailer with their author's email: ${shown}${more}`,
    unsigned,
    checked: commits.length,
  };
}

/**
 * Git's reading of a trailer: a `Signed-off-by: Name <email>` line in the message's last paragraph,
 * which cannot be the subject. A sign-off quoted mid-body is prose, not a trailer.
 */
export function hasSignOff(message: string, authorEmail: string | null): boolean {
  if (!authorEmail) return false;
  const paragraphs = message
    .replace(/\r\n?/g, "\n")
    .trim()
    .split(/\n[ \t]*\n/);
  if (paragraphs.length < 2) return false;
  const trailers = (paragraphs.at(-1) ?? "").split("\n");
  const wanted = authorEmail.trim().toLowerCase();
  return trailers.some((line) => {
    const match = /^signed-off-by:\s*[^<>\n]*<([^<>\s]+)>\s*$/i.exec(line.trim());
    return match !== null && match[1].toLowerCase() === wanted;
  });
}
