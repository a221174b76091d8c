// The overview's figures, computed in one pass over the decisions of the last days. The rows are read
// as a stream, so memory holds one duration per decision, not the rows themselves.
import type { AuditRecord } from "../../audit/record.js";
import type { VerdictOutcome } from "../../domain/verdict.js";

export type DayCounts = { day: string } & Record<VerdictOutcome, number>;

export interface OverviewFigures {
  since: string;
  total: number;
  /** One entry per UTC day, oldest first, days without decisions included. */
  perDay: DayCounts[];
  /** Violation codes of denied decisions, most frequent first. */
  topRules: { code: string; count: number }[];
  /** Decision time in milliseconds (nearest rank); null without decisions. */
  p50: number | null;
  p95: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The first instant of the window: midnight UTC, `days - 1` days before today. */
export function windowStart(now: Date, days: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS).toISOString();
}

export async function overviewFigures(rows: AsyncIterable<AuditRecord>, now: Date, days = 30, topRuleCount = 10): Promise<OverviewFigures> {
  const since = windowStart(now, days);
  const perDay: DayCounts[] = Array.from({ length: days }, (_, i) => ({
    day: new Date(Date.parse(since) + i * DAY_MS).toISOString().slice(0, 10),
    allow: 0,
    deny: 0,
    error: 0,
    pending: 0,
  }));
  const byDay = new Map(perDay.map((entry) => [entry.day, entry]));
  const ruleCounts = new Map<string, number>();
  const durations: number[] = [];
  for await (const row of rows) {
    const day = byDay.get(row.created_at.slice(0, 10));
    if (day) day[row.decision] += 1;
    durations.push(row.duration_ms);
    if (row.decision !== "deny") continue;
    // A rule failing twice in one decision is one failing decision for it.
    for (const code of new Set(row.violations.map((violation) => violation.code))) ruleCounts.set(code, (ruleCounts.get(code) ?? 0) + 1);
  }
  durations.sort((a, b) => a - b);
  const topRules = [...ruleCounts]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, topRuleCount);
  return { since, total: durations.length, perDay, topRules, p50: percentile(durations, 50), p95: percentile(durations, 95) };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
