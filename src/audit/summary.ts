// Turns per-dimension counts into the AuditSummary shape both adapters return.
import type { AuditSummary } from "./record.js";
import { toStoredTime } from "./audit-filters.js";

export type SummaryDimension = "decision" | "policy" | "environment" | "repository";

export interface SummaryCounts {
  total: number;
  decision: { key: string | null; n: number | string }[];
  policy: { key: string | null; n: number | string }[];
  environment: { key: string | null; n: number | string }[];
  repository: { key: string | null; n: number | string }[];
}

/** Rows without an environment or repository (e.g. pull request decisions) count only in the total. */
export function summaryFromCounts(window: { since?: string; until?: string }, counts: SummaryCounts): AuditSummary {
  // fromEntries defines own properties, so an environment named "__proto__" is just a key.
  const tally = (rows: SummaryCounts["decision"]): Record<string, number> =>
    Object.fromEntries(rows.filter(({ key }) => key !== null).map(({ key, n }) => [key, Number(n)]));
  return {
    since: window.since === undefined ? null : toStoredTime(window.since, "since"),
    until: window.until === undefined ? null : toStoredTime(window.until, "until"),
    total: Number(counts.total),
    by_decision: tally(counts.decision),
    by_policy: tally(counts.policy),
    by_environment: tally(counts.environment),
    by_repository: tally(counts.repository),
  };
}
