import type { PolicyName } from "../domain/policy-name.js";
import type { Violation, VerdictOutcome } from "../domain/verdict.js";

/** What a replay prints, whichever event it replayed. */
export interface ReplayResult {
  /** "event.action" */
  event: string;
  policy: PolicyName;
  /** One line naming what was judged. */
  headline: string;
  outcome: VerdictOutcome;
  violations: Violation[];
  warnings: Violation[];
  error: string | null;
  configSha: string | null;
  /** The input the policy saw; null when it was never built (missing config, error). */
  input: unknown;
  /** Extra lines for the text output, e.g. the check run the App would post. */
  notes: string[];
  /** Event-specific facts for --format json. */
  details: Record<string, unknown>;
}

type VerdictFields = Pick<ReplayResult, "outcome" | "violations" | "warnings" | "error" | "configSha" | "input">;

/** What a replay shows of the verdict, the same whichever event was replayed. */
export function verdictFieldsOf({ outcome, violations, warnings, error, configSha, input }: VerdictFields): VerdictFields {
  return { outcome, violations, warnings, error, configSha, input };
}
