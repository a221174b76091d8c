// The last step of every decision: the organisation's exemptions, applied to the final verdict
// (built-in and custom findings alike). An exempted failure becomes a warning naming who granted it,
// why and until when; when nothing blocking is left, a denial becomes an approval. An expired
// exemption leaves its failure blocking, saying so. The exemptions used go on the audit row.
import type { ExemptionUse } from "../domain/exemption-use.js";
import { applyExemptions, type ExemptionContext } from "../org/apply-exemptions.js";
import type { OrgPolicyInForce } from "../org/org-policy-in-force.js";
import type { JudgedVerdict } from "./with-findings.js";

export function withExemptions<V extends JudgedVerdict>(
  verdict: V,
  org: OrgPolicyInForce | null,
  context: ExemptionContext,
): V & { exemptions?: ExemptionUse[] } {
  const exemptions = org?.config.exemptions ?? [];
  // An "error" verdict stays one: no exemption vouches for a decision repol never reached.
  if (exemptions.length === 0 || verdict.outcome === "error" || verdict.violations.length === 0) return verdict;
  const { violations, warnings, used } = applyExemptions(verdict.violations, verdict.warnings, exemptions, context);
  const outcome = verdict.outcome === "deny" && violations.length === 0 ? "allow" : verdict.outcome;
  return { ...verdict, outcome, violations, warnings, ...(used.length > 0 ? { exemptions: used } : {}) };
}
