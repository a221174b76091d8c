import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { NEWEST_FIRST, whereClause } from "../../src/audit/audit-filters.js";
import { SQLITE_MIGRATIONS } from "../../src/audit/migrations/sqlite.js";
import type { AuditQuery } from "../../src/audit/record.js";
import { describeAuditStore } from "./store-contract.js";
import { auditRow } from "./fixtures.js";

function tempDbPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "repol-audit-"));
  return { path: join(dir, "audit.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeAuditStore("sqlite", async (options) => {
  const db = tempDbPath();
  return {
    store: openSqliteStore(db.path, options),
    openAnother: (more) => openSqliteStore(db.path, { ...options, ...more }),
    cleanup: async () => db.remove(),
  };
});

describe("sqlite audit store specifics", () => {
  const opened: SqliteAuditStore[] = [];
  const dirs: (() => void)[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const remove of dirs.splice(0)) remove();
  });

  async function migratedStore(): Promise<{ store: SqliteAuditStore; path: string }> {
    const db = tempDbPath();
    dirs.push(db.remove);
    const store = openSqliteStore(db.path);
    opened.push(store);
    await store.migrate();
    return { store, path: db.path };
  }

  // FULL's guarantee without its fsync on the event loop: commits at NORMAL, the -wal file synced by
  // repol before any write is acknowledged, checkpoints left to a worker (test/durability/wal-*.test.ts).
  it("runs in WAL mode, syncs the -wal file itself, never checkpoints on its own connection, and has a busy timeout", async () => {
    const { store } = await migratedStore();
    expect(store.sqliteSettings()).toEqual({
      version: expect.stringMatching(/^3\.\d+\.\d+$/),
      journal_mode: "wal",
      synchronous: "NORMAL",
      busy_timeout: 5000,
      wal_autocheckpoint: 0,
      wal_synced_by: "repol, before any write is acknowledged",
    });
  });

  it("records each applied migration once in schema_migrations", async () => {
    const { store, path } = await migratedStore();
    await store.migrate();
    const raw = new Database(path, { readonly: true });
    try {
      const versions = raw.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
      expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    } finally {
      raw.close();
    }
  });

  it("refuses to start on a database migrated by a newer repol", async () => {
    const { store, path } = await migratedStore();
    await store.close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')").run();
    raw.close();
    const reopened = openSqliteStore(path);
    opened.push(reopened);
    await expect(reopened.migrate()).rejects.toThrow(new RegExp(`schema is at version 999 .* only knows up to ${SQLITE_MIGRATIONS.at(-1)!.version}`));
  });

  const plans: [string, AuditQuery, string][] = [
    ["unfiltered", {}, "audit_by_time"],
    ["policy", { policy: "deploy" }, "audit_by_policy"],
    ["decision", { decision: "deny" }, "audit_by_decision"],
    ["repository", { repository: "acme/shop" }, "audit_by_repository"],
    ["repository and decision", { repository: "acme/shop", decision: "deny" }, "audit_by_repo_verdict"],
    ["environment", { environment: "production" }, "audit_by_environment"],
    ["actor", { actor: "octocat" }, "audit_by_actor"],
    ["pr", { pr: 12 }, "audit_by_pr"],
    ["sha", { sha: "9fceb02d0ae598e95dc970b74767f19372d61af8" }, "audit_by_sha"],
    ["since", { since: "2025-01-01T00:00:00Z" }, "audit_by_time"],
    ["a continued page", { cursor: "x" }, "audit_by_time"],
  ];

  it.each(plans)("answers a %s page from an index, without sorting", async (_label, query, index) => {
    const { store, path } = await migratedStore();
    for (let i = 0; i < 20; i++) await store.insert(auditRow({ decision: i % 2 ? "allow" : "deny" }));
    const raw = new Database(path, { readonly: true });
    try {
      const where = whereClause(
        { ...query, cursor: undefined },
        query.cursor ? { created_at: "2025-01-01T00:00:00.000Z", id: "01JNNNNNNNNNNNNNNNNNNNNNNN" } : undefined,
      );
      const plan = (
        raw.prepare(`EXPLAIN QUERY PLAN SELECT * FROM audit_records ${where.sql} ${NEWEST_FIRST} LIMIT 51`).all(...where.params) as { detail: string }[]
      )
        .map((row) => row.detail)
        .join("\n");
      expect(plan).toContain(`USING INDEX ${index}`);
      expect(plan).not.toContain("TEMP B-TREE");
    } finally {
      raw.close();
    }
  });
});
