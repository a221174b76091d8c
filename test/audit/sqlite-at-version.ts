// An SQLite audit database as an older repol left it: the migrations before `version` applied, so a
// test can write rows the way that release did and then let the current store migrate them.
import Database from "better-sqlite3";
import { chainedRowParams } from "../../src/audit/chain.js";
import { SQLITE_MIGRATIONS } from "../../src/audit/migrations/sqlite.js";
import type { NewAuditRecord } from "../../src/audit/record.js";
import { sqliteChainState } from "../../src/audit/sqlite-chain.js";

export function sqliteBeforeMigration(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version < version)) {
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.name, "2025-01-01T00:00:00.000Z");
  }
  return db;
}

/**
 * Inserts a chained row into such a database, leaving out the columns later migrations added
 * (their values must be the defaults those migrations give old rows, e.g. no exemptions).
 */
export function insertChainedAsOlderRelease(db: Database.Database, row: NewAuditRecord, createdAt: Date, laterColumns: readonly string[]): void {
  const { columns, params, link } = chainedRowParams(row, createdAt, sqliteChainState(db).head);
  const kept = columns.map((column, i) => [column, params[i]] as const).filter(([column]) => !laterColumns.includes(column));
  db.prepare(`INSERT INTO audit_records (${kept.map(([c]) => c).join(", ")}) VALUES (${kept.map(() => "?").join(", ")})`).run(...kept.map(([, v]) => v));
  db.prepare("UPDATE audit_chain SET head_seq = ?, head_hash = ? WHERE singleton = 1").run(link.seq, link.hash);
}
