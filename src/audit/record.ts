// One audit row: what repol decided, on what facts, and what it did about it.
import type { CustomRuleSource } from "../domain/custom-rule-source.js";
import type { ExemptionUse } from "../domain/exemption-use.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { PolicyName } from "../domain/policy-name.js";
import type { Violation, VerdictOutcome } from "../domain/verdict.js";

export interface NewAuditRecord {
  delivery_id: string | null;
  event: string; // e.g. "deployment_protection_rule"
  action: string | null; // e.g. "requested"
  policy: PolicyName;
  decision: VerdictOutcome;
  repository: string | null; // "owner/name"
  installation_id: number | null;
  environment: string | null;
  ref: string | null;
  sha: string | null;
  pr_number: number | null;
  actor: string | null;
  violations: Violation[];
  /** Failed rules set to `warn`: recorded apart, they did not block. Empty on rows from before enforcement. */
  warnings: Violation[];
  input: unknown; // the full policy input
  bundle_digest: string | null; // sha256 of the compiled policy bundle
  config_sha: string | null; // git blob SHA of the .repol file used
  duration_ms: number;
  effect: EffectOutcome;
  error: string | null; // why the decision is "error"
  /** Organisation exemptions this decision used; absent when it used none. */
  exemptions?: ExemptionUse[];
  /** The custom Rego rule sets judged (origin, digest, blob SHAs of the files); absent when there were none. */
  custom_rules?: CustomRuleSource[];
}

export interface AuditRecord extends NewAuditRecord {
  id: string;
  created_at: string; // ISO 8601 UTC
}

export interface AuditQuery {
  policy?: string;
  decision?: VerdictOutcome;
  repository?: string;
  environment?: string;
  actor?: string;
  pr?: number;
  sha?: string;
  since?: string; // ISO 8601, inclusive
  until?: string; // ISO 8601, exclusive
  exempted?: boolean; // true: only decisions that used an exemption; false: only those that used none
  limit?: number;
  cursor?: string; // opaque, from a previous page's `next`
}

export interface AuditPage {
  rows: AuditRecord[];
  next: string | null;
}

export interface AuditSummary {
  since: string | null;
  until: string | null;
  total: number;
  by_decision: Record<string, number>;
  by_policy: Record<string, number>;
  by_environment: Record<string, number>;
  by_repository: Record<string, number>;
}
