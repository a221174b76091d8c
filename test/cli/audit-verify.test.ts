import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { auditRow } from "../audit/fixtures.js";
import { freshSchema, testDatabaseUrl } from "../helpers/postgres.js";

function cliIn(cwd: string, env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), cwd, env };
  return { io, out, err };
}

describe("repol audit verify", () => {
  let dir: string;
  let ids: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "repol-verify-"));
    const store = openSqliteStore(join(dir, "audit.db"));
    await store.migrate();
    ids = [];
    for (let i = 0; i < 4; i++) ids.push((await store.insert(auditRow({ delivery_id: `d-${i}` }))).id);
    await store.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and says all rows verify, reading AUDIT_DB_PATH relative to the working directory", async () => {
    const { io, out } = cliIn(dir, { AUDIT_DB_PATH: "audit.db" });
    expect(await runCli(["audit", "verify"], io)).toBe(0);
    expect(out).toEqual(["audit chain intact: all 4 rows verify"]);
  });

  it("exits 1 naming the row whose decision was edited with SQL, and why", async () => {
    const db = new Database(join(dir, "audit.db"));
    db.prepare("UPDATE audit_records SET decision = 'deny' WHERE id = ?").run(ids[1]);
    db.close();
    const { io, out } = cliIn(dir, { AUDIT_DB_PATH: join(dir, "audit.db") });
    expect(await runCli(["audit", "verify", "--format", "json"], io)).toBe(1);
    const verdict = JSON.parse(out[0]!);
    expect(verdict).toMatchObject({ ok: false, rows: 1, first_broken: { id: ids[1], reason: expect.stringMatching(/^hash mismatch/) } });
  });

  it("refuses a database file that does not exist instead of verifying an empty one", async () => {
    const { io, err } = cliIn(dir, { AUDIT_DB_PATH: "missing.db" });
    expect(await runCli(["audit", "verify"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/no audit database at .*missing\.db; set AUDIT_DB_PATH/);
  });

  it("refuses an unknown audit subcommand", async () => {
    const { io, err } = cliIn(dir, {});
    expect(await runCli(["audit", "fix"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/expected "repol audit verify"/);
  });

  it.skipIf(!testDatabaseUrl)("reads DATABASE_URL like the server and names a row deleted from PostgreSQL", async () => {
    const schema = await freshSchema();
    try {
      const store = openPostgresStore(schema.url);
      await store.migrate();
      const pgIds: string[] = [];
      for (let i = 0; i < 3; i++) pgIds.push((await store.insert(auditRow({ delivery_id: `p-${i}` }))).id);
      await store.close();
      await schema.sql("DELETE FROM audit_records WHERE id = $1", [pgIds[1]]);
      const { io, out } = cliIn(dir, { DATABASE_URL: schema.url });
      expect(await runCli(["audit", "verify"], io)).toBe(1);
      expect(out[0]!.split("\n")).toEqual([
        `audit chain broken at row ${pgIds[2]}: prev mismatch: chain row 3 follows row 1; rows 2..2 were deleted`,
        "1 rows verified before it",
      ]);
    } finally {
      await schema.drop();
    }
  });
});
