// An organisation exemption as a decision used it: recorded on the audit row, so who granted which
// exception, and what it let through, stays answerable after org.yaml changes.

/** One entry of org.yaml `exemptions`. */
export interface Exemption {
  /** Repository name pattern (without the owner). */
  repository: string;
  /** Built-in rule names or custom rule packages. */
  rules: string[];
  /** Environment name patterns; absent: every environment and pull requests. */
  environments?: string[];
  reason: string;
  owner: string;
  /** YYYY-MM-DD, the last day it applies (UTC). */
  expires: string;
}

/** The exemption as written in org.yaml, and what it did in one decision. */
export interface ExemptionUse extends Exemption {
  /** The violation codes it turned into warnings. */
  exempted: string[];
}
