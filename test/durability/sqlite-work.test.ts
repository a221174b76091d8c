import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { auditRow } from "../audit/fixtures.js";
import { describeWorkStore } from "./work-store-contract.js";

function tempDir(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "repol-work-"));
  return { path: join(dir, "audit.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeWorkStore("sqlite", async (options) => {
  const db = tempDir();
  return {
    store: openSqliteStore(db.path, options),
    openAnother: (more) => openSqliteStore(db.path, { ...options, ...more }),
    cleanup: async () => db.remove(),
  };
});

describe("sqlite work recovery at start", () => {
  it("makes deliveries and effects a killed process had claimed due at once, since one process owns the file", async () => {
    const db = tempDir();
    const crashed = openSqliteStore(db.path);
    await crashed.migrate();
    await crashed.deliveries.add({ id: "in-flight", event: "pull_request", action: "opened", body: "{}" }, 300_000);
    const { effect } = await crashed.outbox.recordWithEffect(
      auditRow({ delivery_id: "in-flight" }),
      { kind: "check_run", installation_id: 1, request: {} },
      120_000,
    );
    // Closed without finishing, as SIGKILL would leave it.
    await crashed.close();

    const restarted = openSqliteStore(db.path);
    try {
      await restarted.migrate();
      expect(await restarted.deliveries.claimDue(10, 1_000)).toEqual([]);
      expect(await restarted.deliveries.recoverAtStart()).toBe(1);
      expect(await restarted.outbox.recoverAtStart()).toBe(1);
      expect((await restarted.deliveries.claimDue(10, 1_000)).map((d) => [d.id, d.attempts])).toEqual([["in-flight", 2]]);
      expect((await restarted.outbox.claimDue(10, 1_000)).map((e) => [e.id, e.attempts])).toEqual([[effect!.id, 2]]);
    } finally {
      await restarted.close();
      db.remove();
    }
  });
});
