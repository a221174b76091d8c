// better-sqlite3 compiles a statement on every prepare(); the insert, lease and settle paths run the same
// few statements for every delivery, so each connection keeps its compiled ones.
import type Database from "better-sqlite3";

const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The compiled statement for `sql` on `db`, compiled on first use. */
export function preparedStatement(db: Database.Database, sql: string): Database.Statement {
  let forDb = prepared.get(db);
  if (!forDb) {
    forDb = new Map();
    prepared.set(db, forDb);
  }
  let cached = forDb.get(sql);
  if (!cached) {
    cached = db.prepare(sql);
    forDb.set(sql, cached);
  }
  return cached;
}
