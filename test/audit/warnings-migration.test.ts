// Migration 7 adds the warnings column. Rows chained before it read back with no warnings and must
// still verify: their hashes were computed over rows that had no such column.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { AUDIT_COLUMNS, newRowParams } from "../../src/audit/audit-row.js";
import { canonicalJson, GENESIS_HASH } from "../../src/audit/chain.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { auditRow } from "./fixtures.js";
import { sqliteBeforeMigration } from "./sqlite-at-version.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A row chained as repol did before migration 7: its hash covers every column it had then, effect aside. */
function legacyChainedRow(db: Database.Database, createdAt: string): string {
  const { id, params } = newRowParams(
    auditRow({ delivery_id: "before-warnings", decision: "deny", violations: [{ code: "c", msg: "m" }] }),
    new Date(createdAt),
  );
  // Columns added by later migrations (warnings: 7, exemptions: 10, custom_rules: 11) did not exist then.
  const later = new Set(["warnings", "exemptions", "custom_rules"]);
  const columns = AUDIT_COLUMNS.filter((column) => !later.has(column));
  const values = params.filter((_, i) => !later.has(AUDIT_COLUMNS[i]!));
  const stored: Record<string, unknown> = Object.fromEntries(columns.map((column, i) => [column, values[i]]));
  const content: Record<string, unknown> = { ...stored, violations: JSON.parse(String(stored.violations)), input: JSON.parse(String(stored.input)) };
  delete content.effect;
  const hash = createHash("sha256")
    .update(canonicalJson({ seq: 1, prev_hash: GENESIS_HASH, row: content }))
    .digest("hex");
  db.prepare(`INSERT INTO audit_records (${columns.join(", ")}, chain_seq, prev_hash, row_hash) VALUES (${columns.map(() => "?").join(", ")}, 1, ?, ?)`).run(
    ...values,
    GENESIS_HASH,
    hash,
  );
  db.prepare("UPDATE audit_chain SET head_seq = 1, head_hash = ?").run(hash);
  return id;
}

it("keeps rows chained before migration 7 verifiable, reading them back with no warnings", async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-warnings-migrate-"));
  const path = join(dir, "audit.db");
  const old = sqliteBeforeMigration(path, 7);
  const legacyId = legacyChainedRow(old, "2025-01-02T00:00:00.000Z");
  old.close();

  const store = openSqliteStore(path, { clock: () => new Date("2025-03-01T00:00:00.000Z") });
  try {
    await store.migrate();
    const warnings = [{ code: "approvals.insufficient", msg: "2 approvals required, 1 given (alice)", rule: "approvals_required" }];
    const { id } = await store.insert(auditRow({ delivery_id: "after-warnings", warnings }));
    expect((await store.get(legacyId))?.warnings).toEqual([]);
    expect((await store.get(id))?.warnings).toEqual(warnings);
    expect(await store.verifyChain()).toEqual({ ok: true, rows: 2, anchor_seq: 0 });
  } finally {
    await store.close();
  }
});
