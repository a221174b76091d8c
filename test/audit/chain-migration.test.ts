// Migration 5 starts the hash chain after the rows already stored: they stay readable and purgeable,
// are not covered by verification, and do not break it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { AUDIT_COLUMNS, newRowParams } from "../../src/audit/audit-row.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { auditRow } from "./fixtures.js";
import { sqliteBeforeMigration } from "./sqlite-at-version.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it("chains only rows written after migration 5, keeping older ones readable and purgeable by age", async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-chain-migrate-"));
  const path = join(dir, "audit.db");
  const old = sqliteBeforeMigration(path, 5);
  const legacy = newRowParams(auditRow({ delivery_id: "before-the-chain" }), new Date("2025-01-02T00:00:00.000Z"));
  // The columns a version 4 database has: those added by later migrations are left out.
  const laterColumns = new Set(["warnings", "exemptions", "custom_rules"]);
  const columns = AUDIT_COLUMNS.filter((column) => !laterColumns.has(column));
  const params = legacy.params.filter((_, i) => !laterColumns.has(AUDIT_COLUMNS[i]!));
  old.prepare(`INSERT INTO audit_records (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).run(...params);
  old.close();

  const store = openSqliteStore(path, { clock: () => new Date("2025-03-01T00:00:00.000Z") });
  try {
    await store.migrate();
    await store.insert(auditRow({ delivery_id: "after-1" }));
    await store.insert(auditRow({ delivery_id: "after-2" }));
    expect((await store.get(legacy.id))?.delivery_id).toBe("before-the-chain");
    expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
    expect(await store.purgeOlderThan("2025-02-01T00:00:00.000Z")).toBe(1);
    expect(await store.count({})).toBe(2);
    expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
  } finally {
    await store.close();
  }
});
