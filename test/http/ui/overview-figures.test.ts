import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../../../src/audit/record.js";
import { overviewFigures, percentile, windowStart } from "../../../src/http/ui/overview-figures.js";
import { auditRow } from "../../audit/fixtures.js";

async function* rowsOf(...rows: Partial<AuditRecord>[]): AsyncIterable<AuditRecord> {
  for (const [i, row] of rows.entries()) yield { ...auditRow(), id: `row-${i}`, created_at: "2025-03-20T10:00:00.000Z", ...row } as AuditRecord;
}

const now = new Date("2025-03-20T12:00:00.000Z");

describe("overviewFigures", () => {
  it("starts the window at midnight UTC so the first day is whole", () => {
    expect(windowStart(now, 30)).toBe("2025-02-19T00:00:00.000Z");
  });

  it("counts each day by outcome, with empty days kept", async () => {
    const figures = await overviewFigures(
      rowsOf(
        { created_at: "2025-03-20T01:00:00.000Z", decision: "allow" },
        { created_at: "2025-03-20T23:59:59.999Z", decision: "deny" },
        { created_at: "2025-03-18T00:00:00.000Z", decision: "error" },
        { created_at: "2025-02-19T00:00:00.000Z", decision: "allow" },
      ),
      now,
      30,
    );
    expect(figures.perDay).toHaveLength(30);
    expect(figures.perDay[0]).toEqual({ day: "2025-02-19", allow: 1, deny: 0, error: 0, pending: 0 });
    expect(figures.perDay.at(-1)).toEqual({ day: "2025-03-20", allow: 1, deny: 1, error: 0, pending: 0 });
    expect(figures.perDay.at(-3)).toEqual({ day: "2025-03-18", allow: 0, deny: 0, error: 1, pending: 0 });
    expect(figures.perDay.at(-2)).toEqual({ day: "2025-03-19", allow: 0, deny: 0, error: 0, pending: 0 });
    expect(figures.total).toBe(4);
  });

  it("ranks the rules of denied decisions, counting a rule once per decision", async () => {
    const v = (...codes: string[]) => codes.map((code) => ({ code, msg: code }));
    const figures = await overviewFigures(
      rowsOf(
        { decision: "deny", violations: v("approvals", "approvals", "branch") },
        { decision: "deny", violations: v("branch") },
        { decision: "deny", violations: v("checks") },
        { decision: "error", violations: v("checks", "checks") },
      ),
      now,
    );
    expect(figures.topRules).toEqual([
      { code: "branch", count: 2 },
      { code: "approvals", count: 1 },
      { code: "checks", count: 1 },
    ]);
  });

  it("gives p50 and p95 of decision time by nearest rank, and none without decisions", async () => {
    const durations = Array.from({ length: 100 }, (_, i) => ({ duration_ms: 100 - i }));
    const figures = await overviewFigures(rowsOf(...durations), now);
    expect([figures.p50, figures.p95]).toEqual([50, 95]);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 95)).toBe(7);
  });
});
