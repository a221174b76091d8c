// Custom Rego rules in a pull request's check run: a row per finding in the rule table, named by its
// package (and its organisation, for the `.github` repository's rules), read from the verdict's lists
// so whatever moved a finding between them (an exemption) shows; and annotations on the files
// of this repository — a compile error where OPA placed it, a finding where its `_loc` points. The
// organisation's files are not in this repository, so those stay in the summary, never annotated.
import type { CustomRulesApplied } from "../core/apply-custom-rules.js";
import type { Violation } from "../domain/verdict.js";
import type { CheckAnnotation } from "./check-run.js";
import { customFindingAnnotations, customRuleErrorAnnotations } from "./render-custom-rule-annotations.js";
import { escapeMarkdown } from "./render-violations.js";

export interface CustomRuleRow {
  status: "❌" | "⚠️";
  name: string;
  reason: string;
}

/** What the check shows of custom rules: the verdict's lists (custom findings carry `package`) and what was judged. */
export interface CustomRulesShown {
  applied: CustomRulesApplied;
  violations: readonly Violation[];
  warnings: readonly Violation[];
}

export function customRuleRows(shown: CustomRulesShown | undefined): CustomRuleRow[] {
  if (!shown) return [];
  const row = (status: CustomRuleRow["status"]) => (finding: Violation) => ({
    status,
    name: typeof finding.organisation === "string" ? `${String(finding.package)} (organisation ${finding.organisation})` : String(finding.package),
    reason: escapeMarkdown(finding.msg),
  });
  const custom = (list: readonly Violation[]) => list.filter((finding) => typeof finding.package === "string");
  return [...custom(shown.violations).map(row("❌")), ...custom(shown.warnings).map(row("⚠️"))];
}

export function customRuleAnnotations(applied: CustomRulesApplied | undefined): CheckAnnotation[] {
  if (!applied) return [];
  const own = <T extends { origin: string }>(items: readonly T[]) => items.filter((item) => item.origin === "repository");
  return [
    ...customRuleErrorAnnotations(own(applied.errors)),
    ...customFindingAnnotations(own(applied.blocking)),
    ...customFindingAnnotations(own(applied.warnings)),
  ];
}
