// Who approved a pull request, from its reviews. Pure: the reviews arrive as data.

/** The fields of a pull request review that decide whether it counts as an approval. */
export interface ReviewLike {
  id?: number;
  user: { login: string; id?: number } | null;
  state: string;
  submitted_at?: string | null;
}

/** Distinct logins whose latest review of the pull request is an approval; the author never counts. */
export function approversOf(pull: { reviews: readonly ReviewLike[]; author: string | null }): string[] {
  return latestApprovers(pull.reviews, pull.author === null ? [] : [pull.author]);
}

/**
 * Reviews in chronological order → logins whose latest decisive review is APPROVED.
 * COMMENTED reviews leave a reviewer's state as it was; CHANGES_REQUESTED and DISMISSED (GitHub
 * rewrites a dismissed approval's state) cancel an approval; PENDING reviews are unsubmitted drafts.
 */
export function latestApprovers(reviews: readonly ReviewLike[], excluded: readonly string[]): string[] {
  const ordered = [...reviews].sort(bySubmission);
  const latest = new Map<string, { login: string; approved: boolean }>();
  for (const review of ordered) {
    if (!review.user?.login) continue;
    if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED" && review.state !== "DISMISSED") continue;
    // Logins are case-insensitive on GitHub; keying on the lower-cased login keeps one entry per person.
    latest.set(review.user.login.toLowerCase(), { login: review.user.login, approved: review.state === "APPROVED" });
  }
  const skip = new Set(excluded.map((login) => login.toLowerCase()));
  return [...latest.entries()]
    .filter(([key, state]) => state.approved && !skip.has(key))
    .map(([, state]) => state.login)
    .sort((a, b) => a.localeCompare(b));
}

// GitHub lists reviews oldest first; sorting again (stable, by submission time then id) keeps the
// rule right even if a page boundary or a future API change reorders them.
function bySubmission(a: ReviewLike, b: ReviewLike): number {
  const at = Date.parse(a.submitted_at ?? "") || 0;
  const bt = Date.parse(b.submitted_at ?? "") || 0;
  return at !== bt ? at - bt : (a.id ?? 0) - (b.id ?? 0);
}
