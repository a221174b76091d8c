// Decisions and violations as terminal text; JSON output is the plain data itself.
import type { Violation, VerdictOutcome } from "../domain/verdict.js";

export function renderVerdict(
  label: string,
  verdict: VerdictOutcome,
  violations: Violation[],
  error: string | null = null,
  warnings: Violation[] = [],
): string[] {
  const lines = [`${label}: ${verdict.toUpperCase()}`];
  if (error) lines.push(`  error: ${error}`);
  const list = (found: Violation[], marker: string) => {
    for (const violation of found) {
      lines.push(`  ${marker} ${violation.code}: ${violation.msg}`);
      if (typeof violation.detail === "string" && violation.detail !== "") lines.push(`      ${violation.detail}`);
    }
  };
  list(violations, "✗");
  // Failed rules set to warn: listed apart, they did not block.
  list(warnings, "⚠");
  if (verdict === "allow" && violations.length === 0 && warnings.length === 0) lines.push("  ✓ every rule passed");
  return lines;
}
