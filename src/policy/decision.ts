// The plain-data shapes every layer passes around: a policy's verdict and a config error.

export type PolicyName = "deploy" | "pullrequest";

export interface Violation {
  code: string;
  msg: string;
  [detail: string]: unknown;
}

export interface Decision {
  policy: PolicyName;
  allow: boolean;
  deny: string[];
  violations: Violation[];
}

/** A problem in a `.repol/*.yaml` file, positioned so a user can find it (1-based line/column). */
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  /** JSON pointer-ish path of the failing field, e.g. `/policy/environments/prod/rules/approvals_required`; "" for the whole file. */
  path: string;
  message: string;
}
