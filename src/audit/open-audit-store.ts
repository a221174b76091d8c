// Picks and opens the audit store from settings, with its schema migrated.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Settings } from "../settings.js";
import type { AuditStore } from "./store.js";
import { openSqliteStore } from "./sqlite-store.js";

/** PostgreSQL when DATABASE_URL is set, otherwise the SQLite file at AUDIT_DB_PATH (its directory is created). */
export async function openAuditStore(settings: Pick<Settings, "databaseUrl" | "auditDbPath">): Promise<AuditStore> {
  const where = settings.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `SQLite at ${settings.auditDbPath}`;
  let store: AuditStore | undefined;
  try {
    // pg (about 3 MiB resident) is loaded only by a repol that uses PostgreSQL.
    store = settings.databaseUrl ? (await import("./postgres-store.js")).openPostgresStore(settings.databaseUrl) : openSqliteFile(settings.auditDbPath);
    await store.migrate();
    return store;
  } catch (error) {
    await store?.close().catch(() => undefined);
    throw new Error(`cannot prepare the audit store in ${where}: ${(error as Error).message}`, { cause: error });
  }
}

function openSqliteFile(path: string): AuditStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return openSqliteStore(path);
}
