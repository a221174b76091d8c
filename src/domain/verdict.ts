// What a policy said, and what repol concluded and recorded. Two words for two things: the engine
// returns a PolicyResult; a verdict ends in a VerdictOutcome, which also covers "could not decide".
import type { PolicyName } from "./policy-name.js";

/**
 * One failed rule, with the facts that explain it when repol has them (`detail`). A rule that only
 * warns, or one an exemption turned into a warning, is meant to take this same shape, listed apart.
 */
export interface Violation {
  code: string;
  msg: string;
  [detail: string]: unknown;
}

/** What the compiled policy answered for one input. */
export interface PolicyResult {
  policy: PolicyName;
  allow: boolean;
  deny: string[];
  /** Failed rules that block. */
  violations: Violation[];
  /** Failed rules the config set to `warn`: reported, never blocking. */
  warnings: Violation[];
}

/**
 * How a verdict ended, as recorded in the audit trail. "error": repol could not reach a decision,
 * which every caller treats as a rejection. A new outcome (a deployment left waiting, say) is added
 * here and the compiler points at every place that must handle it.
 */
export const VERDICT_OUTCOMES = ["allow", "deny", "error", "pending"] as const;

export type VerdictOutcome = (typeof VERDICT_OUTCOMES)[number];

export function outcomeOf(result: PolicyResult): VerdictOutcome {
  return result.allow ? "allow" : "deny";
}
