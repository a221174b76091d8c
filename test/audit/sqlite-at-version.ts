// An SQLite audit database as an older repol left it: the migrations before `version` applied, so a
// test can write rows the way that release did and then let the current store migrate them.
import Database from "better-sqlite3";
import { SQLITE_MIGRATIONS } from "../../src/audit/migrations/sqlite.js";

export function sqliteBeforeMigration(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const migration of SQLITE_MIGRATIONS.filter((m) => m.version < version)) {
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.name, "2025-01-01T00:00:00.000Z");
  }
  return db;
}
