// Rule files from test/fixtures/custom-rules/<case>, and a CustomRules built for tests: generous
// time limits (a loaded test machine must not turn a quick rule into a timeout), compiles counted.
import { fileURLToPath } from "node:url";
import { readRuleFiles } from "../../../src/cli/read-rule-files.js";
import type { CompiledModuleStore } from "../../../src/policy/custom/compiled-modules.js";
import { createCustomRules } from "../../../src/policy/custom/custom-rules.js";
import type { CustomRules, RuleFile } from "../../../src/policy/custom/custom-rule-types.js";
import { evaluationPool, type EvaluationPoolOptions } from "../../../src/policy/custom/evaluation-pool.js";

export function ruleCase(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/custom-rules/${name}/`, import.meta.url));
}

export const rulesOf = (name: string): RuleFile[] => readRuleFiles(ruleCase(name));

export interface CountedRules extends CustomRules {
  compiles: string[];
}

export function testCustomRules(options: { store?: CompiledModuleStore; pool?: EvaluationPoolOptions } = {}): CountedRules {
  const compiles: string[] = [];
  const pool = evaluationPool({ workers: 2, timeoutMs: 2_000, loadTimeoutMs: 60_000, ...options.pool });
  const rules = createCustomRules({ store: options.store, pool, onCompile: (digest) => compiles.push(digest) });
  return Object.assign(rules, { compiles });
}
