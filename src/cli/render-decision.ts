// Decisions and violations as terminal text; JSON output is the plain data itself.
import type { Violation, VerdictOutcome } from "../domain/verdict.js";

export function renderVerdict(label: string, verdict: VerdictOutcome, violations: Violation[], error: string | null = null): string[] {
  const lines = [`${label}: ${verdict.toUpperCase()}`];
  if (error) lines.push(`  error: ${error}`);
  for (const violation of violations) {
    lines.push(`  ✗ ${violation.code}: ${violation.msg}`);
    if (typeof violation.detail === "string" && violation.detail !== "") lines.push(`      ${violation.detail}`);
  }
  if (verdict === "allow" && violations.length === 0) lines.push("  ✓ every rule passed");
  return lines;
}
