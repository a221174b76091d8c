// Outbox.forAudit, the decision page's list of attempts to answer GitHub, on SQLite and PostgreSQL alike.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { auditRow, TestClock } from "./fixtures.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";

type Opened = { store: AuditStore; cleanup(): Promise<void> };

const callback = (runId: number) => ({
  kind: "deployment_callback" as const,
  installation_id: 7,
  request: { kind: "deployment_callback", review: { owner: "acme", repo: "shop", runId, environment: "production", state: "approved", comment: "ok" } },
  target: `deployment:acme/shop:${runId}:production`,
});

function describeForAudit(name: string, open: (clock: TestClock) => Promise<Opened>): void {
  describe(`${name} outbox entries of one audit row`, () => {
    it("lists the entries queued for that row only, with their status and attempts, oldest first", async () => {
      const clock = new TestClock();
      const { store, cleanup } = await open(clock);
      try {
        await store.migrate();
        const outbox = store.outbox!;
        const first = await outbox.recordWithEffect(auditRow({ delivery_id: "d-1" }), callback(11), 0);
        clock.advance(1_000);
        // A newer decision for the same run supersedes the first one's pending answer.
        const second = await outbox.recordWithEffect(auditRow({ delivery_id: "d-2" }), callback(11), 0);
        clock.advance(1_000);
        const other = await outbox.recordWithEffect(auditRow({ delivery_id: "d-3" }), callback(12), 0);
        const [claimed] = await outbox.claimDue(1, 60_000);
        expect(claimed!.audit_id).toBe(second.auditId);
        await outbox.retryLater(claimed!.id, { kind: "deployment_callback", ok: false, status: 502, error: "GitHub answered 502" }, 5_000);

        const ofFirst = await outbox.forAudit(first.auditId);
        expect(ofFirst.map((entry) => [entry.audit_id, entry.status])).toEqual([[first.auditId, "superseded"]]);
        const ofSecond = await outbox.forAudit(second.auditId);
        expect(ofSecond).toHaveLength(1);
        expect(ofSecond[0]).toMatchObject({ status: "pending", attempts: 1, last_error: "GitHub answered 502", request: callback(11).request });
        expect((await outbox.forAudit(other.auditId)).map((entry) => entry.id)).toEqual([other.effect!.id]);
        expect(await outbox.forAudit("01JAAAAAAAAAAAAAAAAAAAAAAA")).toEqual([]);
      } finally {
        await store.close();
        await cleanup();
      }
    });
  });
}

describeForAudit("sqlite", async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), "repol-for-audit-"));
  return { store: openSqliteStore(join(dir, "audit.db"), { clock: clock.now }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

if (postgresAvailable("postgres outbox entries of one audit row")) {
  describeForAudit("postgres", async (clock) => {
    const schema = await freshSchema();
    return { store: openPostgresStore(schema.url, { clock: clock.now }), cleanup: () => schema.drop() };
  });
}
