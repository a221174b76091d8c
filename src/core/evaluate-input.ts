// A full policy input, judged as it is: for callers that bring their own facts (POST /evaluate,
// `repol eval`). Never throws; an input the bundle cannot evaluate is an "error" verdict.
import type { PolicyName } from "../domain/policy-name.js";
import { outcomeOf, type PolicyResult, type Violation, type VerdictOutcome } from "../domain/verdict.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { messageOf } from "./message-of.js";

export interface InputVerdict {
  outcome: VerdictOutcome;
  /** null when the bundle could not evaluate the input. */
  result: PolicyResult | null;
  violations: Violation[];
  warnings: Violation[];
  input: unknown;
  configSha: null;
  error: string | null;
}

export function evaluateInput(engine: PolicyEngine, policy: PolicyName, input: unknown): InputVerdict {
  try {
    const result = engine.evaluate(policy, input);
    return { outcome: outcomeOf(result), result, violations: result.violations, warnings: result.warnings, input, configSha: null, error: null };
  } catch (error) {
    return { outcome: "error", result: null, violations: [], warnings: [], input, configSha: null, error: messageOf(error) };
  }
}
