// The behaviour every AuditStore adapter must have. sqlite-store.test.ts and postgres-store.test.ts
// run this same suite against a real database.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditStore, AuditStoreOptions } from "../../src/audit/store.js";
import type { AuditQuery, AuditRecord, NewAuditRecord } from "../../src/audit/record.js";
import { InvalidCursorError } from "../../src/audit/cursor.js";
import { auditRow, TestClock } from "./fixtures.js";

export interface StoreFixture {
  store: AuditStore;
  /** A second, migrated-or-not store on the same database (another process or replica). */
  openAnother(options?: AuditStoreOptions): AuditStore;
  cleanup(): Promise<void>;
}

const usedExemption = {
  repository: "legacy-*",
  rules: ["approvals_required"],
  reason: "review flow migration",
  owner: "platform-team",
  expires: "2027-03-31",
  exempted: ["approvals.insufficient"],
};

export type StoreFactory = (options: AuditStoreOptions) => Promise<StoreFixture>;

export function describeAuditStore(name: string, factory: StoreFactory): void {
  describe(`${name} audit store`, () => {
    let fixture: StoreFixture;
    let store: AuditStore;
    let clock: TestClock;
    const others: AuditStore[] = [];

    beforeEach(async () => {
      clock = new TestClock();
      fixture = await factory({ clock: clock.now, streamChunkSize: 7 });
      store = fixture.store;
      await store.migrate();
    });

    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
      await fixture.cleanup();
    });

    /** Inserts rows one millisecond apart (or at the same instant) and returns them as stored. */
    async function seed(rows: Partial<NewAuditRecord>[], stepMs = 1): Promise<AuditRecord[]> {
      const stored: AuditRecord[] = [];
      for (const overrides of rows) {
        const { id } = await store.insert(auditRow(overrides));
        stored.push((await store.get(id))!);
        clock.advance(stepMs);
      }
      return stored;
    }

    const newestFirst = (rows: AuditRecord[]) =>
      [...rows].sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1));

    async function allPages(q: AuditQuery): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.query({ ...q, cursor });
        pages++;
        ids.push(...page.rows.map((r) => r.id));
        cursor = page.next ?? undefined;
      } while (cursor && pages < 1000);
      return { ids, pages };
    }

    it("stores every field of a decision and returns it by id with an ISO UTC created_at", async () => {
      const row = auditRow({
        delivery_id: "d-1",
        decision: "deny",
        pr_number: 17,
        violations: [{ code: "approvals", msg: "needs 2 approvals, has 1", need: 2 }],
        warnings: [{ code: "signoff.missing", msg: "not signed off", rule: "signed_off" }],
        effect: { kind: "check_run", ok: false, status: 502, check_run_id: 99, error: "bad gateway" },
        error: null,
      });
      const { inserted, id } = await store.insert(row);
      expect(inserted).toBe(true);
      const stored = await store.get(id);
      expect(stored).toEqual({ ...row, id, created_at: clock.iso() });
    });

    it("stores the exemptions a decision used, and leaves the field out of rows that used none", async () => {
      const { id } = await store.insert(auditRow({ exemptions: [usedExemption] }));
      expect((await store.get(id))?.exemptions).toEqual([usedExemption]);
      const plain = await store.insert(auditRow({ exemptions: [] }));
      expect(await store.get(plain.id)).not.toHaveProperty("exemptions");
    });

    it("stores the custom rule sets a decision judged, and leaves the field out of rows that judged none", async () => {
      const sources = [
        {
          origin: "repository" as const,
          repository: "acme/widgets",
          digest: "a".repeat(64),
          files: [{ path: ".repol/policies/labels.rego", sha: "b".repeat(40) }],
        },
        { origin: "organisation" as const, repository: "acme/.github", digest: null, files: [] },
      ];
      const { id } = await store.insert(auditRow({ custom_rules: sources }));
      expect((await store.get(id))?.custom_rules).toEqual(sources);
      const plain = await store.insert(auditRow({ custom_rules: [] }));
      expect(await store.get(plain.id)).not.toHaveProperty("custom_rules");
    });

    it("returns undefined for an id it never issued", async () => {
      expect(await store.get("01JNNNNNNNNNNNNNNNNNNNNNNN")).toBeUndefined();
      expect(await store.get("not an id")).toBeUndefined();
    });

    it("gives rows ids that sort in creation order", async () => {
      const rows = await seed([{}, {}, {}], 0);
      const ids = rows.map((r) => r.id);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(3);
    });

    it("does not create a second row for a redelivered webhook and returns the first row's id", async () => {
      const first = await store.insert(auditRow({ delivery_id: "delivery-7", decision: "allow" }));
      const again = await store.insert(auditRow({ delivery_id: "delivery-7", decision: "deny" }));
      expect(again).toEqual({ inserted: false, id: first.id });
      expect(await store.count({})).toBe(1);
      expect((await store.get(first.id))?.decision).toBe("allow");
    });

    it("inserts exactly one row when the same delivery arrives concurrently", async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => store.insert(auditRow({ delivery_id: "race" }))));
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(await store.count({})).toBe(1);
    });

    it("never deduplicates rows that have no delivery id (API evaluations)", async () => {
      await seed([{ delivery_id: null }, { delivery_id: null }], 0);
      expect(await store.count({})).toBe(2);
    });

    it("finds a row by its delivery id", async () => {
      const { id } = await store.insert(auditRow({ delivery_id: "find-me" }));
      expect((await store.findByDelivery("find-me"))?.id).toBe(id);
      expect(await store.findByDelivery("unknown")).toBeUndefined();
    });

    describe("filters", () => {
      let rows: AuditRecord[];
      beforeEach(async () => {
        rows = await seed(
          [
            { policy: "deploy", decision: "allow", repository: "acme/shop", environment: "production", actor: "alice", sha: `aaaa1111${"0".repeat(32)}` },
            { policy: "deploy", decision: "deny", repository: "acme/shop", environment: "staging", actor: "bob", sha: `aaaa2222${"0".repeat(32)}` },
            {
              policy: "pullrequest",
              decision: "deny",
              repository: "acme/api",
              environment: null,
              actor: "alice",
              pr_number: 7,
              sha: `bbbb1111${"0".repeat(32)}`,
            },
            {
              policy: "pullrequest",
              decision: "error",
              repository: "acme/api",
              environment: null,
              actor: "carol",
              pr_number: 8,
              sha: `cccc1111${"0".repeat(32)}`,
              error: "GitHub 502",
            },
            {
              policy: "deploy",
              decision: "allow",
              repository: "acme/api",
              environment: "production",
              actor: "bob",
              sha: `aaaa1111${"f".repeat(32)}`,
              exemptions: [usedExemption],
            },
          ],
          60_000,
        );
      });

      const cases: [string, () => AuditQuery, (r: AuditRecord) => boolean][] = [
        ["policy", () => ({ policy: "pullrequest" }), (r) => r.policy === "pullrequest"],
        ["decision", () => ({ decision: "deny" }), (r) => r.decision === "deny"],
        ["repository", () => ({ repository: "acme/api" }), (r) => r.repository === "acme/api"],
        ["environment", () => ({ environment: "production" }), (r) => r.environment === "production"],
        ["actor", () => ({ actor: "alice" }), (r) => r.actor === "alice"],
        ["pr", () => ({ pr: 8 }), (r) => r.pr_number === 8],
        ["exempted", () => ({ exempted: true }), (r) => r.exemptions !== undefined],
        ["not exempted", () => ({ exempted: false }), (r) => r.exemptions === undefined],
        ["full sha", () => ({ sha: `aaaa1111${"0".repeat(32)}` }), (r) => r.sha === `aaaa1111${"0".repeat(32)}`],
        ["sha prefix, any case", () => ({ sha: "AAAA111" }), (r) => r.sha!.startsWith("aaaa111")],
        ["since (inclusive)", () => ({ since: rows[2].created_at }), (r) => r.created_at >= rows[2].created_at],
        ["until (exclusive)", () => ({ until: rows[2].created_at }), (r) => r.created_at < rows[2].created_at],
        ["repository and decision", () => ({ repository: "acme/api", decision: "deny" }), (r) => r.repository === "acme/api" && r.decision === "deny"],
        [
          "a window",
          () => ({ since: rows[1].created_at, until: rows[4].created_at }),
          (r) => r.created_at >= rows[1].created_at && r.created_at < rows[4].created_at,
        ],
      ];

      it.each(cases)("filters by %s, newest first", async (_label, query, matches) => {
        const expected = newestFirst(rows.filter(matches)).map((r) => r.id);
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(rows.length);
        const page = await store.query(query());
        expect(page.rows.map((r) => r.id)).toEqual(expected);
        expect(await store.count(query())).toBe(expected.length);
      });

      it("reads since and until given with a UTC offset as the same instants", async () => {
        const plusTwoHours = (iso: string) => new Date(Date.parse(iso) + 7_200_000).toISOString().replace("Z", "+02:00");
        const page = await store.query({ since: plusTwoHours(rows[1].created_at), until: plusTwoHours(rows[3].created_at) });
        expect(page.rows.map((r) => r.id)).toEqual([rows[2].id, rows[1].id]);
      });

      it("returns no rows (not all rows) for a filter nothing matches", async () => {
        expect((await store.query({ repository: "acme/none" })).rows).toEqual([]);
        expect(await store.count({ actor: "nobody" })).toBe(0);
      });
    });

    describe("environment names, which GitHub compares without case", () => {
      it("lists, streams and counts every spelling of an environment, keeping the name GitHub sent", async () => {
        const rows = await seed([{ environment: "production" }, { environment: "Production" }, { environment: "staging" }, { environment: "PRODUCTION" }]);
        const expected = newestFirst(rows.filter((r) => r.environment !== "staging")).map((r) => [r.id, r.environment]);
        expect((await store.query({ environment: "Production" })).rows.map((r) => [r.id, r.environment])).toEqual(expected);
        const streamed: (string | null)[][] = [];
        for await (const row of store.stream({ environment: "production" })) streamed.push([row.id, row.environment]);
        expect(streamed).toEqual(expected);
        expect(await store.count({ environment: "pRoDuCtIoN", decision: "allow", repository: "acme/shop" })).toBe(3);
      });

      it("counts names that differ only in the case of a non-ASCII letter as one environment", async () => {
        // A database's own lower() may leave Ó apart from ó (SQLite folds ASCII only); the daily limit must not.
        await seed([{ environment: "Producción" }, { environment: "PRODUCCIÓN" }, { environment: "producción" }, { environment: "produccion" }]);
        expect(await store.count({ environment: "producción", decision: "allow" })).toBe(3);
      });
    });

    describe("pagination", () => {
      it("walks every row exactly once across pages of rows sharing one timestamp", async () => {
        const rows = await seed(
          Array.from({ length: 23 }, () => ({})),
          0,
        );
        const { ids, pages } = await allPages({ limit: 5 });
        expect(pages).toBe(5);
        expect(ids).toEqual(newestFirst(rows).map((r) => r.id));
      });

      it("keeps a filter across pages", async () => {
        const rows = await seed(
          Array.from({ length: 12 }, (_, i) => ({ decision: i % 3 === 0 ? "deny" : "allow" }) as const),
          0,
        );
        const { ids } = await allPages({ decision: "deny", limit: 2 });
        expect(ids).toEqual(newestFirst(rows.filter((r) => r.decision === "deny")).map((r) => r.id));
      });

      it("returns no next cursor when the last page is exactly full", async () => {
        await seed(Array.from({ length: 6 }, () => ({})));
        const first = await store.query({ limit: 3 });
        expect(first.next).not.toBeNull();
        const second = await store.query({ limit: 3, cursor: first.next! });
        expect(second.rows).toHaveLength(3);
        expect(second.next).toBeNull();
      });

      it("does not shift later pages when newer rows arrive between requests", async () => {
        const rows = await seed(Array.from({ length: 6 }, () => ({})));
        const first = await store.query({ limit: 3 });
        await seed([{}, {}]);
        const second = await store.query({ limit: 3, cursor: first.next! });
        expect(second.rows.map((r) => r.id)).toEqual(
          newestFirst(rows)
            .slice(3)
            .map((r) => r.id),
        );
      });

      it("returns 50 rows by default and never more than 500", async () => {
        await seed(
          Array.from({ length: 501 }, () => ({})),
          0,
        );
        expect((await store.query({})).rows).toHaveLength(50);
        const capped = await store.query({ limit: 10_000 });
        expect(capped.rows).toHaveLength(500);
        expect(capped.next).not.toBeNull();
      });

      it("rejects a cursor it did not issue", async () => {
        await expect(store.query({ cursor: "garbage!" })).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(store.query({ cursor: Buffer.from('["x","y"]').toString("base64url") })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    it("summarises totals by decision, policy, environment and repository, optionally in a window", async () => {
      const rows = await seed(
        [
          { decision: "allow", policy: "deploy", environment: "production", repository: "acme/shop" },
          { decision: "deny", policy: "deploy", environment: "staging", repository: "acme/shop" },
          { decision: "deny", policy: "pullrequest", environment: null, repository: "acme/api" },
          { decision: "error", policy: "pullrequest", environment: null, repository: "acme/api" },
        ],
        3_600_000,
      );
      expect(await store.summary({})).toEqual({
        since: null,
        until: null,
        total: 4,
        by_decision: { allow: 1, deny: 2, error: 1 },
        by_policy: { deploy: 2, pullrequest: 2 },
        by_environment: { production: 1, staging: 1 },
        by_repository: { "acme/shop": 2, "acme/api": 2 },
      });
      expect(await store.summary({ since: rows[1].created_at, until: rows[3].created_at })).toEqual({
        since: rows[1].created_at,
        until: rows[3].created_at,
        total: 2,
        by_decision: { deny: 2 },
        by_policy: { deploy: 1, pullrequest: 1 },
        by_environment: { staging: 1 },
        by_repository: { "acme/shop": 1, "acme/api": 1 },
      });
    });

    it("summarises an empty window as zero totals", async () => {
      await seed([{}]);
      const summary = await store.summary({ since: "2030-01-01T00:00:00Z" });
      expect(summary).toMatchObject({ total: 0, by_decision: {}, by_policy: {}, by_environment: {}, by_repository: {} });
    });

    describe("stream", () => {
      it("yields every matching row newest first across chunk boundaries, ignoring limit and cursor", async () => {
        // Chunks are 7 rows; runs of equal timestamps straddle chunk boundaries.
        const rows: AuditRecord[] = [];
        for (let burst = 0; burst < 10; burst++) {
          rows.push(...(await seed([{}, {}, {}, {}, { decision: "deny" }], 0)));
          clock.advance(1);
        }
        const streamed: string[] = [];
        for await (const row of store.stream({ limit: 3, cursor: "ignored" })) streamed.push(row.id);
        expect(streamed).toEqual(newestFirst(rows).map((r) => r.id));

        const denied: string[] = [];
        for await (const row of store.stream({ decision: "deny" })) denied.push(row.id);
        expect(denied).toEqual(newestFirst(rows.filter((r) => r.decision === "deny")).map((r) => r.id));
      });

      it("leaves the store usable for inserts while an export is in progress", async () => {
        const rows = await seed(Array.from({ length: 20 }, () => ({})));
        const streamed: string[] = [];
        for await (const row of store.stream({})) {
          streamed.push(row.id);
          if (streamed.length === 3) await store.insert(auditRow({ delivery_id: "during-export" }));
        }
        expect(streamed).toEqual(newestFirst(rows).map((r) => r.id));
        expect(await store.findByDelivery("during-export")).toBeDefined();
      });
    });

    it("purges only rows created before the cutoff and says how many", async () => {
      const rows = await seed(
        Array.from({ length: 5 }, () => ({})),
        86_400_000,
      );
      expect(await store.purgeOlderThan(rows[2].created_at)).toBe(2);
      const left = (await store.query({})).rows.map((r) => r.id);
      expect(left).toEqual(newestFirst(rows.slice(2)).map((r) => r.id));
      expect(await store.purgeOlderThan(rows[0].created_at)).toBe(0);
    });

    it("applies migrations idempotently, also when two instances start at once", async () => {
      await store.migrate();
      const a = fixture.openAnother();
      const b = fixture.openAnother();
      others.push(a, b);
      await Promise.all([a.migrate(), b.migrate()]);
      const { id } = await a.insert(auditRow());
      expect((await b.get(id))?.id).toBe(id);
    });

    it("keeps rows after the store is closed and opened again", async () => {
      const { id } = await store.insert(auditRow({ delivery_id: "durable" }));
      await store.close();
      store = fixture.openAnother();
      await store.migrate();
      expect((await store.findByDelivery("durable"))?.id).toBe(id);
    });

    it("stores a row whose webhook text holds NUL characters and unpaired surrogates", async () => {
      const hostile = "evil\u0000title \ud800 end";
      const { id } = await store.insert(auditRow({ actor: hostile, input: { title: hostile, [hostile]: 1 }, violations: [{ code: "x", msg: hostile }] }));
      const stored = await store.get(id);
      expect(stored?.repository).toBe("acme/shop");
      const cleaned = "evil\ufffdtitle \ufffd end";
      expect(stored?.actor).toBe(cleaned);
      expect(stored?.input).toEqual({ title: cleaned, [cleaned]: 1 });
      expect(stored?.violations).toEqual([{ code: "x", msg: cleaned }]);
    });

    it("answers ping while open and fails it once closed", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
      store = fixture.openAnother();
    });
  });
}
