// Findings from outside the built-in policy (custom rules, exemptions) join a verdict here, so the
// outcome is recomputed in one place: anything blocking denies, warnings alone change nothing.
import type { Violation, VerdictOutcome } from "../domain/verdict.js";

export interface Findings {
  blocking: readonly Violation[];
  warnings: readonly Violation[];
}

/** The part of a deployment or pull request verdict that findings change. */
export interface JudgedVerdict {
  outcome: VerdictOutcome;
  violations: Violation[];
  warnings: Violation[];
}

export function withFindings<V extends JudgedVerdict>(verdict: V, { blocking, warnings }: Findings): V {
  // An "error" verdict stays one: findings cannot stand in for a decision repol never reached.
  const outcome: VerdictOutcome = verdict.outcome === "error" ? "error" : blocking.length > 0 ? "deny" : verdict.outcome;
  return { ...verdict, outcome, violations: [...verdict.violations, ...blocking], warnings: [...verdict.warnings, ...warnings] };
}
