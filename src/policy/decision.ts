// A problem in a repository's config, as plain data every layer passes around and renders at the edge.

/** A problem in a `.repol/*.yaml` file, positioned so a user can find it (1-based line/column). */
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  /** JSON pointer-ish path of the failing field, e.g. `/policy/environments/prod/rules/approvals_required`; "" for the whole file. */
  path: string;
  message: string;
}
