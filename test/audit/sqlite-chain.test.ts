import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { describeHashChain } from "./chain-contract.js";

describeHashChain("sqlite", async (options) => {
  const dir = mkdtempSync(join(tmpdir(), "repol-chain-"));
  const path = join(dir, "audit.db");
  return {
    store: openSqliteStore(path, options),
    openAnother: (more) => openSqliteStore(path, { ...options, ...more }),
    async sql(text, params = []) {
      const db = new Database(path);
      try {
        db.prepare(text).run(...params);
      } finally {
        db.close();
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
