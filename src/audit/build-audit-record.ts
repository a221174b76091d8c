// The one place an audit row is put together, whichever path decided: webhook handlers, the
// re-run discovery and POST /evaluate all record the same fields the same way.
import type { CustomRuleSource } from "../domain/custom-rule-source.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { ExemptionUse } from "../domain/exemption-use.js";
import type { Violation, VerdictOutcome } from "../domain/verdict.js";
import type { NewAuditRecord } from "./record.js";

/** What the row is about: the delivery, the repository and the subject judged. */
export type AuditSubject = Pick<
  NewAuditRecord,
  "delivery_id" | "event" | "action" | "policy" | "repository" | "installation_id" | "environment" | "ref" | "sha" | "pr_number" | "actor"
>;

/** What was concluded and on which input. */
export interface RecordedVerdict {
  outcome: VerdictOutcome;
  violations: Violation[];
  warnings: Violation[];
  input: unknown;
  configSha: string | null;
  error: string | null;
  /** The custom Rego rules judged; their sets (digest, blob SHAs) are recorded. */
  customRules?: { sources: CustomRuleSource[] };
  /** Organisation exemptions the verdict used. */
  exemptions?: ExemptionUse[];
}

export interface RecordedRun {
  bundleDigest: string;
  durationMs: number;
  effect: EffectOutcome;
}

export function buildAuditRecord(subject: AuditSubject, verdict: RecordedVerdict, run: RecordedRun): NewAuditRecord {
  return {
    ...subject,
    decision: verdict.outcome,
    violations: verdict.violations,
    warnings: verdict.warnings,
    input: verdict.input,
    bundle_digest: run.bundleDigest || null,
    config_sha: verdict.configSha,
    // Microseconds: an evaluation alone often takes less than a millisecond.
    duration_ms: Math.round(run.durationMs * 1000) / 1000,
    effect: run.effect,
    error: verdict.error,
    ...(verdict.customRules && verdict.customRules.sources.length > 0 ? { custom_rules: verdict.customRules.sources } : {}),
    ...(verdict.exemptions !== undefined && verdict.exemptions.length > 0 ? { exemptions: verdict.exemptions } : {}),
  };
}
