import type { PolicyName } from "../domain/policy-name.js";
import type { PolicyResult } from "../domain/verdict.js";
import type { PolicyEngine } from "../policy/engine-types.js";

/**
 * The engine, with every evaluation timed. Decisions are counted where they are recorded
 * (count-decisions.ts), not here: a decision may evaluate more than once, or fail before evaluating.
 */
export function instrumentEngine(engine: PolicyEngine, observeEvaluation: (policy: PolicyName, seconds: number) => void): PolicyEngine {
  return {
    get digest() {
      return engine.digest;
    },
    evaluate(policy: PolicyName, input: unknown): PolicyResult {
      const started = process.hrtime.bigint();
      try {
        return engine.evaluate(policy, input);
      } finally {
        observeEvaluation(policy, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
  };
}
