// The decisions a policy preview replays: the newest recorded ones of one repository, or, for an
// organisation change, of every repository of its owner.
import type { PreviewRow } from "../org/preview-policy-change.js";
import type { AuditStore } from "./store.js";

export const DEFAULT_PREVIEW_DECISIONS = 50;

/** Bounds the rows read for an owner whose repositories are a small share of a shared store. */
const MAX_ROWS_SCANNED = 20_000;

export type PreviewSubject = { repository: string } | { owner: string };

export async function recentDecisions(store: AuditStore, subject: PreviewSubject, limit = DEFAULT_PREVIEW_DECISIONS): Promise<PreviewRow[]> {
  if ("repository" in subject) return (await store.query({ repository: subject.repository, limit })).rows;
  const prefix = `${subject.owner.toLowerCase()}/`;
  const rows: PreviewRow[] = [];
  let scanned = 0;
  for await (const row of store.stream({})) {
    if (++scanned > MAX_ROWS_SCANNED || rows.length >= limit) break;
    if (row.repository?.toLowerCase().startsWith(prefix)) rows.push(row);
  }
  return rows;
}
