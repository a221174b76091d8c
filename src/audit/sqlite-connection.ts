// The SQLite store's connection: WAL mode, and the settings that let the group commit keep FULL's
// guarantee without waiting for the disk on the event loop (durability/sqlite-group-commit.ts).
import Database from "better-sqlite3";
import { assertSupportedSqlite } from "./sqlite-version.js";
import { walFile, type WalFile } from "../durability/wal-file.js";

/** After a burst the -wal file is cut back to this size once it starts over. */
const WAL_SIZE_LIMIT = 16 * 1024 * 1024;

export interface SqliteConnection {
  db: Database.Database;
  /** Undefined for ":memory:", which has no -wal file. */
  wal: WalFile | undefined;
}

export function openSqliteConnection(path: string): SqliteConnection {
  const db = new Database(path);
  try {
    assertSupportedSqlite(db.prepare("SELECT sqlite_version() AS v").pluck().get() as string);
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal" && path !== ":memory:") {
      throw new Error(`${path}: SQLite could not switch to WAL mode (got "${mode}"); is it on a network file system?`);
    }
    // NORMAL alone can lose the last committed rows on power loss; an audit trail must not. The group
    // commit syncs the -wal file itself before acknowledging anything (durability/wal-file.ts).
    db.pragma("synchronous = NORMAL");
    // Checkpoints run in a worker thread (wal-checkpoints.ts), never inside a commit on the event loop.
    db.pragma("wal_autocheckpoint = 0");
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    // SQLite creates the -wal file at the first read in WAL mode; it must exist to be synced.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return { db, wal: mode === "wal" ? walFile(db.name) : undefined };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The connection's durability settings, for start-up logs and tests. */
export function sqliteSettings({ db, wal }: SqliteConnection) {
  const synchronous = ["OFF", "NORMAL", "FULL", "EXTRA"][db.pragma("synchronous", { simple: true }) as number] ?? "unknown";
  return {
    version: db.prepare("SELECT sqlite_version()").pluck().get() as string,
    journal_mode: db.pragma("journal_mode", { simple: true }) as string,
    synchronous,
    busy_timeout: db.pragma("busy_timeout", { simple: true }) as number,
    wal_autocheckpoint: db.pragma("wal_autocheckpoint", { simple: true }) as number,
    wal_synced_by: wal ? "repol, before any write is acknowledged" : "nothing (no -wal file)",
  };
}
