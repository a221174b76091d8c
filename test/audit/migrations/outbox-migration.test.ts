// Migration 3 rebuilds SQLite's outbox (a CHECK constraint cannot change in place) and alters
// PostgreSQL's: effects queued before the upgrade must come through it unchanged and still be sent.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { openPostgresStore } from "../../../src/audit/postgres-store.js";
import { openSqliteStore } from "../../../src/audit/sqlite-store.js";
import { POSTGRES_MIGRATIONS } from "../../../src/audit/migrations/postgres.js";
import { SQLITE_MIGRATIONS } from "../../../src/audit/migrations/sqlite.js";
import type { AuditStore } from "../../../src/audit/store.js";
import { freshSchema, postgresAvailable } from "../../helpers/postgres.js";

const QUEUED_BEFORE = [
  "queued-1",
  "d-1",
  "a-1",
  "check_run",
  41,
  '{"kind":"check_run"}',
  "pending",
  2,
  "2025-03-01T12:00:05.000Z",
  "will retry: 502",
  "2025-03-01T12:00:00.000Z",
];
const INSERT = "INSERT INTO outbox (id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, last_error, created_at)";

async function expectCarriedOver(store: AuditStore): Promise<void> {
  await store.migrate();
  expect(await store.outbox!.get("queued-1")).toEqual({
    id: "queued-1",
    delivery_id: "d-1",
    audit_id: "a-1",
    kind: "check_run",
    installation_id: 41,
    request: { kind: "check_run" },
    status: "pending",
    attempts: 2,
    next_attempt_at: "2025-03-01T12:00:05.000Z",
    last_error: "will retry: 502",
    created_at: "2025-03-01T12:00:00.000Z",
    target: null,
    leased_until: null,
  });
  expect((await store.outbox!.claimDue(10, 60_000)).map((e) => [e.id, e.attempts])).toEqual([["queued-1", 3]]);
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it("keeps SQLite effects queued before migration 3, and can send them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "repol-migrate-"));
  const path = join(dir, "audit.db");
  const old = new Database(path);
  old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const migration of SQLITE_MIGRATIONS.slice(0, 2)) {
    old.exec(migration.sql);
    old.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.name, "2025-03-01T11:00:00.000Z");
  }
  old.prepare(`${INSERT} VALUES (${QUEUED_BEFORE.map(() => "?").join(", ")})`).run(...QUEUED_BEFORE);
  old.close();
  const store = openSqliteStore(path, { clock: () => new Date("2025-03-01T13:00:00.000Z") });
  cleanup = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  await expectCarriedOver(store);
});

if (postgresAvailable("postgres outbox migration")) {
  it("keeps PostgreSQL effects queued before migration 3, and can send them", async () => {
    const schema = await freshSchema();
    await schema.sql("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    for (const migration of POSTGRES_MIGRATIONS.slice(0, 2)) {
      await schema.sql(migration.sql);
      await schema.sql("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
    }
    await schema.sql(`${INSERT} VALUES (${QUEUED_BEFORE.map((_, i) => `$${i + 1}`).join(", ")})`, QUEUED_BEFORE);
    const store = openPostgresStore(schema.url, { clock: () => new Date("2025-03-01T13:00:00.000Z") });
    cleanup = async () => {
      await store.close();
      await schema.drop();
    };
    await expectCarriedOver(store);
  });
}
