// A custom rules engine built as the server builds it, for tests: generous time limits (a loaded test
// machine must not turn a quick rule into a timeout) and every compile counted.
import type { CompiledModuleStore } from "../../src/policy/custom/compiled-modules.js";
import { createCustomRules } from "../../src/policy/custom/custom-rules.js";
import type { CustomRules } from "../../src/policy/custom/custom-rule-types.js";
import { evaluationPool, type EvaluationPoolOptions } from "../../src/policy/custom/evaluation-pool.js";

export interface CountedRules extends CustomRules {
  /** The digest of each `opa` compile, in order. */
  compiles: string[];
}

export function testCustomRules(options: { store?: CompiledModuleStore; pool?: EvaluationPoolOptions } = {}): CountedRules {
  const compiles: string[] = [];
  const pool = evaluationPool({ workers: 2, timeoutMs: 2_000, loadTimeoutMs: 60_000, ...options.pool });
  const rules = createCustomRules({ store: options.store, pool, onCompile: (digest) => compiles.push(digest) });
  return Object.assign(rules, { compiles });
}
