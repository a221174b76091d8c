// The hash chain's behaviour, run against SQLite and PostgreSQL alike (sqlite-chain.test.ts,
// postgres-chain.test.ts). Tampering is done with plain SQL, as someone with database access would.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditStore, AuditStoreOptions } from "../../src/audit/store.js";
import { auditRow, TestClock } from "./fixtures.js";

export interface ChainFixture {
  store: AuditStore;
  /** Another store on the same database: a second process, or a second replica with its own pool. */
  openAnother(options: AuditStoreOptions): AuditStore;
  /** Runs SQL on the database directly, outside repol (`?` placeholders). */
  sql(text: string, params?: unknown[]): Promise<void>;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;

export function describeHashChain(name: string, factory: (options: AuditStoreOptions) => Promise<ChainFixture>): void {
  describe(`${name} audit hash chain`, () => {
    let fixture: ChainFixture;
    let store: AuditStore;
    let clock: TestClock;
    const others: AuditStore[] = [];

    beforeEach(async () => {
      clock = new TestClock();
      fixture = await factory({ clock: clock.now, streamChunkSize: 3 });
      store = fixture.store;
      await store.migrate();
    });

    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
      await fixture.cleanup();
    });

    /** Rows an hour apart, every other one recorded together with its outbox effect. */
    async function seed(count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const row = auditRow({ delivery_id: `d-${i}`, decision: "deny", violations: [{ code: "c", msg: `m ${i}` }] });
        const recorded =
          i % 2 === 0 ? await store.insert(row) : await store.outbox!.recordWithEffect(row, { kind: "check_run", installation_id: 1, request: { i } }, 0);
        ids.push("id" in recorded ? recorded.id : recorded.auditId);
        clock.advance(HOUR);
      }
      return ids;
    }

    it("verifies every row written through both insert paths, also after their effects were recorded", async () => {
      await seed(7);
      const [entry] = await store.outbox!.claimDue(10, 60_000);
      await store.outbox!.complete(entry!.id, { kind: "check_run", ok: false, error: "GitHub said 500" });
      expect(await store.verifyChain()).toEqual({ ok: true, rows: 7, anchor_seq: 0 });
    });

    it("covers the exemptions a decision used, so editing them shows", async () => {
      const exemption = { repository: "api", rules: ["signed_off"], reason: "r", owner: "o", expires: "2027-01-01", exempted: ["signoff.missing"] };
      await seed(1);
      const { id } = await store.insert(auditRow({ exemptions: [exemption] }));
      expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
      await fixture.sql("UPDATE audit_records SET exemptions = NULL WHERE id = ?", [id]);
      expect((await store.verifyChain()).first_broken?.id).toBe(id);
    });

    it("covers the custom rule sets a decision judged, so editing them shows", async () => {
      const source = {
        origin: "repository",
        repository: "acme/widgets",
        digest: "c".repeat(64),
        files: [{ path: ".repol/policies/a.rego", sha: "d".repeat(40) }],
      };
      await seed(1);
      const { id } = await store.insert(auditRow({ custom_rules: [{ ...source, origin: "repository" as const }] }));
      expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
      await fixture.sql("UPDATE audit_records SET custom_rules = NULL WHERE id = ?", [id]);
      expect((await store.verifyChain()).first_broken?.id).toBe(id);
    });

    it("does not link a delivery recorded twice into the chain twice", async () => {
      await seed(2);
      await store.insert(auditRow({ delivery_id: "d-0" }));
      expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
    });

    it("names a row whose decision was edited with SQL", async () => {
      const ids = await seed(5);
      await fixture.sql("UPDATE audit_records SET decision = 'allow' WHERE id = ?", [ids[2]]);
      const verdict = await store.verifyChain();
      expect(verdict).toMatchObject({ ok: false, rows: 2, first_broken: { id: ids[2] } });
      expect(verdict.first_broken?.reason).toMatch(/^hash mismatch/);
    });

    it("names a row whose input was edited, even with its keys reordered the same way", async () => {
      const ids = await seed(3);
      await fixture.sql("UPDATE audit_records SET input = ? WHERE id = ?", ['{"approvals":["mallory"]}', ids[1]]);
      expect((await store.verifyChain()).first_broken?.id).toBe(ids[1]);
    });

    it("names a row whose warnings were dropped, or added to a row that had none, with SQL", async () => {
      const warned = await store.insert(
        auditRow({ delivery_id: "warned", warnings: [{ code: "signoff.missing", msg: "not signed off", rule: "signed_off" }] }),
      );
      const plain = await store.insert(auditRow({ delivery_id: "plain" }));
      expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
      await fixture.sql("UPDATE audit_records SET warnings = ? WHERE id = ?", ['[{"code":"x","msg":"y"}]', plain.id]);
      expect((await store.verifyChain()).first_broken?.id).toBe(plain.id);
      await fixture.sql("UPDATE audit_records SET warnings = ? WHERE id = ?", ["[]", warned.id]);
      expect((await store.verifyChain()).first_broken?.id).toBe(warned.id);
    });

    it("names the row after one deleted from the middle", async () => {
      const ids = await seed(5);
      await fixture.sql("DELETE FROM audit_records WHERE id = ?", [ids[2]]);
      const verdict = await store.verifyChain();
      expect(verdict).toMatchObject({ ok: false, rows: 2, first_broken: { id: ids[3] } });
      expect(verdict.first_broken?.reason).toMatch(/^prev mismatch: .*rows 3\.\.3 were deleted/);
    });

    it("notices rows deleted from the end", async () => {
      await seed(4);
      await fixture.sql("DELETE FROM audit_records WHERE chain_seq = 4");
      expect(await store.verifyChain()).toMatchObject({
        ok: false,
        rows: 3,
        first_broken: { id: null, reason: expect.stringMatching(/rows at the end were deleted/) },
      });
    });

    it("still verifies after retention purged a prefix, starting from the anchor it stored", async () => {
      const ids = await seed(6);
      const cutoff = new Date(clock.now().getTime() - 3.5 * HOUR).toISOString();
      expect(await store.purgeOlderThan(cutoff)).toBe(3);
      expect(await store.verifyChain()).toEqual({ ok: true, rows: 3, anchor_seq: 3 });
      await fixture.sql("DELETE FROM audit_records WHERE id = ?", [ids[3]]);
      expect((await store.verifyChain()).first_broken?.id).toBe(ids[4]);
    });

    it("verifies a chain written by two stores on one database at the same time", async () => {
      const replica = fixture.openAnother({ clock: clock.now });
      others.push(replica);
      await replica.migrate();
      const writes = Array.from({ length: 40 }, (_, i) => {
        const row = auditRow({ delivery_id: `r-${i}` });
        const writer = i % 2 === 0 ? store : replica;
        return i % 4 < 2
          ? writer.insert(row)
          : writer.outbox!.recordWithEffect(row, { kind: "check_run", installation_id: 1, request: {}, target: `t-${i % 3}` }, 0);
      });
      await Promise.all(writes);
      expect(await replica.verifyChain()).toEqual({ ok: true, rows: 40, anchor_seq: 0 });
    });
  });
}
