// Migration 9 rebuilds audit_records (SQLite cannot change a CHECK constraint in place) so a deployment
// left waiting can be recorded `pending`: the rows written before keep their content and their chain.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { SQLITE_MIGRATIONS } from "../../src/audit/migrations/sqlite.js";
import { insertChainedSqlite } from "../../src/audit/sqlite-chain.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { auditRow } from "./fixtures.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it("keeps every row and the hash chain, and then accepts pending decisions only", async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-pending-migrate-"));
  const path = join(dir, "audit.db");
  const old = new Database(path);
  old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version < 9)) {
    old.exec(migration.sql);
    old.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.name, "2025-01-01T00:00:00.000Z");
  }
  expect(() => insertChainedSqlite(old, auditRow({ delivery_id: "refused", decision: "pending" }), new Date("2025-01-02T00:00:00.000Z"))).toThrow(/CHECK/);
  for (const id of ["before-1", "before-2"]) insertChainedSqlite(old, auditRow({ delivery_id: id }), new Date("2025-01-02T00:00:00.000Z"));
  const before = old.prepare("SELECT * FROM audit_records ORDER BY chain_seq").all();
  old.close();

  const store = openSqliteStore(path, { clock: () => new Date("2025-03-01T00:00:00.000Z") });
  try {
    await store.migrate();
    await store.insert(auditRow({ delivery_id: "waiting", decision: "pending" }));
    expect(await store.verifyChain()).toEqual({ ok: true, rows: 3, anchor_seq: 0 });
    expect((await store.findByDelivery("waiting"))?.decision).toBe("pending");
    await expect(store.insert(auditRow({ delivery_id: "bogus", decision: "maybe" as "pending" }))).rejects.toThrow(/CHECK/);
  } finally {
    await store.close();
  }
  const after = new Database(path, { readonly: true });
  expect(after.prepare("SELECT * FROM audit_records WHERE delivery_id LIKE 'before-%' ORDER BY chain_seq").all()).toEqual(before);
  after.close();
});
