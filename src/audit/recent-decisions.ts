// The decisions a policy preview replays: the newest recorded ones of one repository, or, for an
// organisation change, of every repository of its owner.
import type { PreviewRow } from "../org/preview-policy-change.js";
import type { AuditStore } from "./store.js";

export const DEFAULT_PREVIEW_DECISIONS = 50;

/** Bounds the rows read for an owner whose repositories are a small share of a shared store. */
const MAX_ROWS_SCANNED = 20_000;

/** The event of a preview's own audit row (it records the check run it posted); previews never replay one. */
export const PREVIEW_EVENT = "policy_preview";

export type PreviewSubject = { repository: string } | { owner: string };

export async function recentDecisions(store: AuditStore, subject: PreviewSubject, limit = DEFAULT_PREVIEW_DECISIONS): Promise<PreviewRow[]> {
  if ("repository" in subject) {
    // Read a few more than asked, so a preview's own rows do not crowd out decisions.
    const { rows } = await store.query({ repository: subject.repository, limit: limit * 2 });
    return rows.filter((row) => row.event !== PREVIEW_EVENT).slice(0, limit);
  }
  const prefix = `${subject.owner.toLowerCase()}/`;
  const rows: PreviewRow[] = [];
  let scanned = 0;
  for await (const row of store.stream({})) {
    if (++scanned > MAX_ROWS_SCANNED || rows.length >= limit) break;
    if (row.event !== PREVIEW_EVENT && row.repository?.toLowerCase().startsWith(prefix)) rows.push(row);
  }
  return rows;
}
