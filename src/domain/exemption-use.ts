// An organisation exemption as a decision used it: recorded on the audit row, so who granted which
// exception, and what it let through, stays answerable after org.yaml changes.

export interface ExemptionUse {
  /** The exemption as written in org.yaml. */
  repository: string;
  rules: string[];
  environments?: string[];
  reason: string;
  owner: string;
  expires: string;
  /** The violation codes it turned into warnings in this decision. */
  exempted: string[];
}
