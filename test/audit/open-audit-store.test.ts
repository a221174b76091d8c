import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import { auditRow } from "./fixtures.js";
import { freshSchema, testDatabaseUrl } from "../helpers/postgres.js";

describe("openAuditStore", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("opens a migrated SQLite store at AUDIT_DB_PATH, creating its directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repol-open-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "nested", "deeper", "repol.db");
    const store = await openAuditStore({ databaseUrl: null, auditDbPath: path });
    cleanups.push(() => store.close());
    expect(store.kind).toBe("sqlite");
    expect(existsSync(path)).toBe(true);
    const { id } = await store.insert(auditRow());
    expect((await store.get(id))?.id).toBe(id);
  });

  it("says which store failed and why when it cannot be prepared", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repol-open-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // A directory where the database file should be.
    await expect(openAuditStore({ databaseUrl: null, auditDbPath: dir })).rejects.toThrow(new RegExp(`SQLite at ${dir}`));
  });

  it("says so when DATABASE_URL cannot be reached", async () => {
    await expect(openAuditStore({ databaseUrl: "postgres://repol:pw@127.0.0.1:1/none", auditDbPath: "unused" })).rejects.toThrow(
      /cannot prepare the audit store in PostgreSQL \(DATABASE_URL\)/,
    );
  });

  it.skipIf(!testDatabaseUrl)("opens a migrated PostgreSQL store when DATABASE_URL is set", async () => {
    const schema = await freshSchema();
    cleanups.push(() => schema.drop());
    const store = await openAuditStore({ databaseUrl: schema.url, auditDbPath: "unused" });
    cleanups.push(() => store.close());
    expect(store.kind).toBe("postgres");
    const { id } = await store.insert(auditRow());
    expect((await store.get(id))?.id).toBe(id);
  });
});
