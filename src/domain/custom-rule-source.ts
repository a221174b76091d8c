// Which custom Rego rules a decision judged, as its audit row records them.

export type CustomRuleOrigin = "repository" | "organisation";

/** One set of rule files judged: where from, the digest its compiled module is cached under, the blobs used. */
export interface CustomRuleSource {
  origin: CustomRuleOrigin;
  /** "owner/name" of the repository holding the files (the owner's `.github` for the organisation). */
  repository: string;
  /** null when the set never reached the compiler (a file that could not be read, no engine). */
  digest: string | null;
  files: { path: string; sha: string }[];
}
