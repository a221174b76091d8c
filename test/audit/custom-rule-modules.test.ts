import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";
import { describeCustomRuleModules } from "./custom-rule-modules-contract.js";

describeCustomRuleModules("sqlite", async (options) => {
  const dir = mkdtempSync(join(tmpdir(), "repol-modules-"));
  return { store: openSqliteStore(join(dir, "audit.db"), options), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

if (postgresAvailable("postgres custom rule modules")) {
  describeCustomRuleModules("postgres", async (options) => {
    const schema = await freshSchema();
    return { store: openPostgresStore(schema.url, options), cleanup: () => schema.drop() };
  });
}
