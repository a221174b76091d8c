import { describe, expect, it } from "vitest";
import { pendingMigrations, type Migration } from "../../src/audit/migrations/migration.js";
import { SQLITE_MIGRATIONS } from "../../src/audit/migrations/sqlite.js";
import { POSTGRES_MIGRATIONS } from "../../src/audit/migrations/postgres.js";

describe.each([
  ["sqlite", SQLITE_MIGRATIONS],
  ["postgres", POSTGRES_MIGRATIONS],
] as const)("%s migrations", (_name, migrations) => {
  it("are numbered 1, 2, 3 ... without gaps or repeats", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it("have names", () => {
    for (const m of migrations) expect(m.name).toMatch(/^[a-z0-9_]+$/);
  });
});

it("keeps both adapters at the same schema version", () => {
  expect(SQLITE_MIGRATIONS.length).toBe(POSTGRES_MIGRATIONS.length);
});

describe("pendingMigrations", () => {
  const all: Migration[] = [1, 2, 3].map((version) => ({ version, name: `m${version}`, sql: "" }));

  it("returns the migrations after the applied version", () => {
    expect(pendingMigrations(all, 0, "db").map((m) => m.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(all, 2, "db").map((m) => m.version)).toEqual([3]);
    expect(pendingMigrations(all, 3, "db")).toEqual([]);
  });

  it("refuses a database from a newer release, naming both versions", () => {
    expect(() => pendingMigrations(all, 4, "audit.db")).toThrow(/audit\.db: the audit schema is at version 4 but this repol only knows up to 3/);
  });
});
