// `repol eval` with a checkout's custom rules: evaluated as the App evaluates them, rendered for a terminal.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createCustomRules } from "../policy/custom/custom-rules.js";
import type { CustomFinding, CustomPolicyKind, CustomRulesResult } from "../policy/custom/custom-rule-types.js";
import { readRuleFiles, RULES_DIR } from "./read-rule-files.js";

/** The checkout whose rules apply: --rules, else the working directory when it has .repol/policies. */
export function rulesCheckout(option: string | undefined, cwd: string): string | undefined {
  if (option !== undefined) return resolve(cwd, option);
  return existsSync(join(cwd, RULES_DIR)) ? cwd : undefined;
}

export async function evaluateCheckoutRules(policy: CustomPolicyKind, root: string, input: unknown): Promise<CustomRulesResult> {
  const rules = createCustomRules();
  try {
    return await rules.evaluate(policy, readRuleFiles(root), input);
  } finally {
    await rules.close();
  }
}

/** Blocking when a rule denies or the rules could not be applied: no decision is not an allow. */
export const customRulesBlock = (result: CustomRulesResult): boolean => !result.ok || result.findings.blocking.length > 0;

export function renderCustomRules(result: CustomRulesResult): string[] {
  if (!result.ok) {
    return [
      "custom rules: ERROR (the decision fails closed)",
      ...result.errors.map((error) => `  ✗ ${error.file}:${error.line}:${error.column}: ${error.message}`),
    ];
  }
  const shown = (mark: string, finding: CustomFinding) =>
    `  ${mark} ${finding.code}: ${finding.msg} (${finding.package}${finding.file ? `, ${finding.file}:${finding.line ?? 1}` : ""})`;
  const { blocking, warnings } = result.findings;
  const verdict = blocking.length > 0 ? "DENY" : "ALLOW";
  const lines = [`custom rules: ${verdict} (${result.files.length} file${result.files.length === 1 ? "" : "s"}, sources sha256 ${result.digest.slice(0, 12)})`];
  lines.push(...blocking.map((finding) => shown("✗", finding)), ...warnings.map((finding) => shown("⚠", finding)));
  if (blocking.length === 0 && warnings.length === 0) lines.push("  ✓ no custom rule found anything");
  return lines;
}
