// Rule files from test/fixtures/custom-rules/<case>, and a CustomRules built for tests (see
// test/helpers/test-custom-rules.ts).
import { fileURLToPath } from "node:url";
import { readRuleFiles } from "../../../src/cli/read-rule-files.js";
import type { RuleFile } from "../../../src/policy/custom/custom-rule-types.js";

export { testCustomRules, type CountedRules } from "../../helpers/test-custom-rules.js";

export function ruleCase(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/custom-rules/${name}/`, import.meta.url));
}

export const rulesOf = (name: string): RuleFile[] => readRuleFiles(ruleCase(name));
