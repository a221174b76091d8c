// Custom rule problems and findings as check run annotations: a compile error on the line OPA named,
// a finding on the line its `_loc` named. Findings without a location are only in the summary.
import type { CustomFinding, CustomRuleError } from "../policy/custom/custom-rule-types.js";
import type { CheckAnnotation } from "./check-run.js";

export function customRuleErrorAnnotations(errors: readonly CustomRuleError[]): CheckAnnotation[] {
  return errors.map((error) => ({
    path: error.file,
    start_line: error.line,
    end_line: error.line,
    // GitHub takes columns only on a one-line annotation, which these are.
    start_column: error.column,
    end_column: error.column,
    annotation_level: "failure",
    title: error.package ? `custom rules ${error.package}` : "custom rules",
    message: error.message,
  }));
}

export function customFindingAnnotations(findings: readonly CustomFinding[]): CheckAnnotation[] {
  return findings
    .filter((finding) => finding.file !== undefined)
    .map((finding) => ({
      path: finding.file!,
      start_line: finding.line ?? 1,
      end_line: finding.line ?? 1,
      annotation_level: finding.enforcement === "warn" ? "warning" : "failure",
      title: finding.code,
      message: `${finding.msg} (${finding.package})`,
    }));
}
