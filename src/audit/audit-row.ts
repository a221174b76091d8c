// The columns of an audit row and the conversions both adapters share.
import type { CustomRuleSource } from "../domain/custom-rule-source.js";
import type { ExemptionUse } from "../domain/exemption-use.js";
import type { AuditRecord, NewAuditRecord } from "./record.js";
import { newAuditId } from "./audit-id.js";
import { storableColumn } from "./storable-text.js";

export const AUDIT_COLUMNS = [
  "id",
  "created_at",
  "delivery_id",
  "event",
  "action",
  "policy",
  "decision",
  "repository",
  "installation_id",
  "environment",
  "ref",
  "sha",
  "pr_number",
  "actor",
  "violations",
  "input",
  "bundle_digest",
  "config_sha",
  "duration_ms",
  "effect",
  "error",
  "warnings",
  "exemptions",
  "custom_rules",
] as const;

export type AuditColumn = (typeof AUDIT_COLUMNS)[number];

const JSON_COLUMNS: ReadonlySet<AuditColumn> = new Set(["violations", "warnings", "input", "effect", "exemptions", "custom_rules"]);

// SQL NULL, not JSON null: "used no exemption" must match `exemptions IS NULL`.
const NULLABLE_JSON_COLUMNS: ReadonlySet<AuditColumn> = new Set(["exemptions", "custom_rules"]);

/** A new row's id and its values in AUDIT_COLUMNS order, ready to bind (JSON columns as text). */
export function newRowParams(row: NewAuditRecord, createdAt: Date): { id: string; params: unknown[] } {
  const id = newAuditId(createdAt);
  const values = columnValues(row, id, createdAt.toISOString());
  const param = (column: AuditColumn) =>
    values[column] === null && NULLABLE_JSON_COLUMNS.has(column) ? null : storableColumn(values[column], JSON_COLUMNS.has(column));
  return { id, params: AUDIT_COLUMNS.map(param) };
}

function columnValues(row: NewAuditRecord, id: string, createdAt: string): Record<AuditColumn, unknown> {
  return {
    id,
    created_at: createdAt,
    delivery_id: row.delivery_id,
    event: row.event,
    action: row.action,
    policy: row.policy,
    decision: row.decision,
    repository: row.repository,
    installation_id: row.installation_id,
    environment: row.environment,
    ref: row.ref,
    sha: row.sha,
    pr_number: row.pr_number,
    actor: row.actor,
    violations: row.violations,
    input: row.input ?? null,
    bundle_digest: row.bundle_digest,
    config_sha: row.config_sha,
    duration_ms: row.duration_ms,
    effect: row.effect,
    error: row.error,
    warnings: row.warnings,
    exemptions: row.exemptions !== undefined && row.exemptions !== null && row.exemptions.length > 0 ? row.exemptions : null,
    custom_rules: row.custom_rules !== undefined && row.custom_rules.length > 0 ? row.custom_rules : null,
  };
}

/** A stored row (JSON columns already decoded) as the API shape, with numbers and times normalised. */
export function recordFrom(row: Record<string, unknown>): AuditRecord {
  const created = row.created_at;
  return {
    id: String(row.id),
    created_at: created instanceof Date ? created.toISOString() : String(created),
    delivery_id: nullableString(row.delivery_id),
    event: String(row.event),
    action: nullableString(row.action),
    policy: String(row.policy) as AuditRecord["policy"],
    decision: row.decision as AuditRecord["decision"],
    repository: nullableString(row.repository),
    // PostgreSQL returns bigint as a string; GitHub ids stay well inside 2^53.
    installation_id: nullableNumber(row.installation_id),
    environment: nullableString(row.environment),
    ref: nullableString(row.ref),
    sha: nullableString(row.sha),
    pr_number: nullableNumber(row.pr_number),
    actor: nullableString(row.actor),
    violations: row.violations as AuditRecord["violations"],
    // Rows written before migration 7 read back the column's default, an empty list.
    warnings: (row.warnings ?? []) as AuditRecord["warnings"],
    input: row.input,
    bundle_digest: nullableString(row.bundle_digest),
    config_sha: nullableString(row.config_sha),
    duration_ms: Number(row.duration_ms),
    effect: row.effect as AuditRecord["effect"],
    error: nullableString(row.error),
    // Absent, not null, on rows that used none, so rows from before the column hash as they did.
    ...(row.exemptions === null || row.exemptions === undefined ? {} : { exemptions: row.exemptions as ExemptionUse[] }),
    // Likewise absent on rows that judged no custom rules.
    ...(row.custom_rules === null || row.custom_rules === undefined ? {} : { custom_rules: row.custom_rules as CustomRuleSource[] }),
  };
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
