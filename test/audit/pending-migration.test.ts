// Migration 9 rebuilds audit_records (SQLite cannot change a CHECK constraint in place) so a deployment
// left waiting can be recorded `pending`: the rows written before keep their content and their chain.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import type { NewAuditRecord } from "../../src/audit/record.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { auditRow } from "./fixtures.js";
import { insertChainedAsOlderRelease, sqliteBeforeMigration } from "./sqlite-at-version.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it("keeps every row and the hash chain, and then accepts pending decisions only", async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-pending-migrate-"));
  const path = join(dir, "audit.db");
  const old = sqliteBeforeMigration(path, 9);
  // Migrations 10 and 11 added exemptions and custom_rules; a release at version 8 wrote rows without them.
  const insertOld = (row: NewAuditRecord) => insertChainedAsOlderRelease(old, row, new Date("2025-01-02T00:00:00.000Z"), ["exemptions", "custom_rules"]);
  expect(() => insertOld(auditRow({ delivery_id: "refused", decision: "pending" }))).toThrow(/CHECK/);
  for (const id of ["before-1", "before-2"]) insertOld(auditRow({ delivery_id: id }));
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
  const rowsAfter = after.prepare("SELECT * FROM audit_records WHERE delivery_id LIKE 'before-%' ORDER BY chain_seq").all();
  // Unchanged, with the columns of migrations 10 and 11 added as "none".
  expect(rowsAfter).toEqual(before.map((row) => ({ ...(row as object), exemptions: null, custom_rules: null })));
  after.close();
});
