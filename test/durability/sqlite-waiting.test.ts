import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { describeWaitingStore } from "./waiting-store-contract.js";

describeWaitingStore("sqlite", async (options) => {
  const dir = mkdtempSync(join(tmpdir(), "repol-waiting-"));
  const path = join(dir, "audit.db");
  return {
    store: openSqliteStore(path, options),
    openAnother: () => openSqliteStore(path, options),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
