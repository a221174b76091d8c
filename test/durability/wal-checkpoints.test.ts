// The store's own connection never checkpoints (a checkpoint copies pages and syncs the disk, which
// would block the event loop); a worker thread with its own connection does, and the -wal file then
// starts over instead of growing without bound.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { startWalCheckpoints } from "../../src/durability/wal-checkpoints.js";

let dir: string;
let store: SqliteAuditStore;
const walSize = () => statSync(join(dir, "audit.db-wal")).size;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-wal-"));
  // The timer is kept out of the way: the test asks for each checkpoint itself.
  store = openSqliteStore(join(dir, "audit.db"), { checkpointIntervalMs: 3_600_000 });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Enough rows, in separate commits, to pass SQLite's default autocheckpoint of 1,000 pages. */
async function writeRows(prefix: string): Promise<void> {
  const body = "x".repeat(8_000);
  for (let i = 0; i < 150; i++) await store.deliveries.add({ id: `${prefix}-${i}`, event: "ping", action: null, body }, 0);
}

it("leaves every frame in the -wal file until a checkpoint in another thread copies them", async () => {
  await writeRows("first");
  const result = await store.checkpoints!.checkpoint();
  // Over 1,000 frames waited: the connection did not checkpoint on its own when a commit passed them.
  expect(result.log).toBeGreaterThan(1_000);
  expect(result.checkpointed).toBe(result.log);
  expect(result.threadId).not.toBe(threadId);
});

it("reuses the -wal file after each checkpoint instead of growing it", async () => {
  await writeRows("cycle-0");
  await store.checkpoints!.checkpoint();
  const afterOneCycle = walSize();
  for (let cycle = 1; cycle <= 3; cycle++) {
    await writeRows(`cycle-${cycle}`);
    await store.checkpoints!.checkpoint();
  }
  // Four cycles' frames appended would take four times the space; reused, a cycle's own frames fit
  // (give or take the pages a larger table touches).
  expect(walSize()).toBeLessThan(afterOneCycle * 1.5);
  expect(await store.deliveries.known(["cycle-0-0", "cycle-3-149"])).toEqual(new Set(["cycle-0-0", "cycle-3-149"]));
});

it("reports a worker that could not start, rather than leave the -wal file unchecked", async () => {
  const checkpoints = startWalCheckpoints(join(dir, "missing.db"), 3_600_000);
  await expect(checkpoints.checkpoint()).rejects.toThrow(/checkpoint worker of .*missing\.db/);
  expect(checkpoints.failure?.message).toMatch(/checkpoint worker of .*missing\.db/);
  await expect(checkpoints.checkpoint()).rejects.toThrow(/missing\.db/);
  await checkpoints.close();
});
