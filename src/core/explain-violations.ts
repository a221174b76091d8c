import type { Violation } from "../domain/verdict.js";
import type { ChecksVerdict } from "./judge-checks.js";
import type { SignOffVerdict } from "./judge-sign-off.js";

/** Adds the facts behind a failed rule (which checks failed, which commits lack a sign-off) to its violation. */
export function explainViolations(violations: Violation[], facts: { checks?: ChecksVerdict | null; signOff?: SignOffVerdict | null }): Violation[] {
  return violations.map((violation) => {
    if (violation.code === "tests.failed" && facts.checks) return { ...violation, detail: facts.checks.reason };
    if (violation.code === "signoff.missing" && facts.signOff) return { ...violation, detail: facts.signOff.reason };
    return violation;
  });
}
