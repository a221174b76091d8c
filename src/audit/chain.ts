// The audit trail's hash chain. Each row's hash covers what was decided and why (every column but
// `effect`, which changes as the answer is delivered, retried or superseded) plus its place in the
// chain (sequence number and the previous row's hash), so an edited, deleted or reordered row shows.
// The hash is computed over the row as it reads back from either store (recordFrom), so both
// adapters, and the verifier, see the same bytes.
import { createHash } from "node:crypto";
import type { AuditRecord, NewAuditRecord } from "./record.js";
import { AUDIT_COLUMNS, newRowParams, recordFrom } from "./audit-row.js";

/** A position in the chain: a row's sequence number and hash (or the anchor's, or the head's). */
export interface ChainLink {
  seq: number;
  hash: string;
}

/** Where the chain starts (genesis, or the last purged row) and where it ends now. */
export interface ChainState {
  anchor: ChainLink;
  head: ChainLink;
}

/** The hash the first row points back to; also the anchor of a store that never purged. */
export const GENESIS_HASH = "0".repeat(64);

export const CHAIN_COLUMNS = ["chain_seq", "prev_hash", "row_hash"] as const;

/**
 * JSON with object keys sorted and no whitespace: one text per value, whatever order keys came in.
 * Written as plain loops, since it runs over every decision's whole input: keys are sorted by UTF-16
 * code units (Array.prototype.sort's default), undefined members are left out of objects and written
 * as null in arrays, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return canonicalArray(value);
  const keys = Object.keys(value).sort();
  let text = "{";
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    text += `${text.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}

function canonicalArray(items: unknown[]): string {
  let text = "[";
  for (let i = 0; i < items.length; i++) {
    // A hole, or a member JSON cannot write (a function), is written as nothing, as join writes it.
    const item = i in items ? (canonicalJson(items[i]) as string | undefined) : undefined;
    text += `${i === 0 ? "" : ","}${item ?? ""}`;
  }
  return `${text}]`;
}

/**
 * The hash of a row at `seq` that follows a row hashed `prevHash`. `warnings` is hashed like every
 * other column except when empty: rows chained before the column existed read it back empty and
 * must still verify, and an empty list has no other spelling, so the hash still fixes its value.
 */
export function linkHash(record: AuditRecord, seq: number, prevHash: string): string {
  const { effect: _changesLater, warnings, ...rest } = record;
  const decided = warnings.length > 0 ? { ...rest, warnings } : rest;
  return createHash("sha256")
    .update(canonicalJson({ seq, prev_hash: prevHash, row: decided }))
    .digest("hex");
}

/** A new row's columns and values (AUDIT_COLUMNS then CHAIN_COLUMNS), linked after `head`. */
export function chainedRowParams(row: NewAuditRecord, createdAt: Date, head: ChainLink): { id: string; columns: string[]; params: unknown[]; link: ChainLink } {
  const { id, params } = newRowParams(row, createdAt);
  const stored: Record<string, unknown> = Object.fromEntries(AUDIT_COLUMNS.map((column, i) => [column, params[i]]));
  const asRead = recordFromText({ ...stored, effect: "null" });
  const link = { seq: head.seq + 1, hash: "" };
  link.hash = linkHash(asRead, link.seq, head.hash);
  return { id, columns: [...AUDIT_COLUMNS, ...CHAIN_COLUMNS], params: [...params, link.seq, head.hash, link.hash], link };
}

/** A row whose JSON columns are text (as bound, and as SQLite returns them) in the API shape. */
export function recordFromText(row: Record<string, unknown>): AuditRecord {
  const json = (value: unknown) => JSON.parse(value as string);
  const nullable = (value: unknown) => (value === null || value === undefined ? null : json(value));
  const [exemptions, custom_rules] = [nullable(row.exemptions), nullable(row.custom_rules)];
  return recordFrom({
    ...row,
    violations: json(row.violations),
    warnings: json(row.warnings ?? "[]"),
    input: json(row.input),
    effect: json(row.effect),
    exemptions,
    custom_rules,
  });
}

/** The audit_chain row (either store) as anchor and head. */
export function chainStateFrom(row: Record<string, unknown> | undefined): ChainState {
  if (!row) throw new Error("the audit_chain row is missing: the hash chain can be neither extended nor verified (was it deleted?)");
  const link = (seq: unknown, hash: unknown): ChainLink => ({ seq: Number(seq), hash: String(hash) });
  return { anchor: link(row.anchor_seq, row.anchor_hash), head: link(row.head_seq, row.head_hash) };
}
