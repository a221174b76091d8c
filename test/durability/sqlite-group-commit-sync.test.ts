// The group commit answers a write only once a sync that began after its commit has finished, keeps
// committing while a sync runs, and after a failed sync acknowledges nothing more. The sync is held by
// the test (held-sync.ts), so none of this depends on how fast the disk is.
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { eventually } from "../helpers/eventually.js";
import { heldSync, settled, type HeldSync } from "./held-sync.js";

const delivery = (id: string) => ({ id, event: "ping", action: null, body: JSON.stringify({ zen: id }) });

let disk: HeldSync;
let store: SqliteAuditStore;

beforeEach(async () => {
  disk = heldSync();
  store = openSqliteStore(":memory:", { sync: disk.sync });
  const migrating = store.migrate();
  await eventually("the migration's sync", () => disk.waiting === 1);
  disk.release();
  await migrating;
});
afterEach(async () => {
  disk.releaseAll();
  await store.close();
});

it("resolves a write only once the sync after its commit has finished", async () => {
  const adding = store.deliveries.add(delivery("held"), 60_000);
  await eventually("the batch's sync to be asked for", () => disk.waiting === 1);
  expect(await settled(adding)).toBe(false);

  disk.release();
  expect(await adding).toBe(true);
});

it("answers a read that saw a commit not yet on disk only once it is", async () => {
  const adding = store.deliveries.add(delivery("seen"), 60_000);
  await eventually("the batch's sync to be asked for", () => disk.waiting === 1);
  // Committed, so this connection reads it; it must not be passed on before the sync ends.
  const reads = [store.deliveries.get("seen"), store.deliveries.known(["seen"])];
  expect(await settled(Promise.race(reads))).toBe(false);

  disk.release();
  await adding;
  expect(await reads[0]).toMatchObject({ status: "pending" });
  expect(await reads[1]).toEqual(new Set(["seen"]));
});

it("commits further batches while a sync runs and covers them all with the next one", async () => {
  const first = store.deliveries.add(delivery("first"), 0);
  await eventually("the first sync", () => disk.waiting === 1);
  const commits = store.groupCommit.commits;
  const later = [store.deliveries.add(delivery("second"), 0), store.deliveries.add(delivery("third"), 0)];
  await eventually("the later batch to be committed", () => store.groupCommit.commits === commits + 1);
  // One sync at a time: the later batch waits for the sync in flight to end before its own starts.
  expect(disk.waiting).toBe(1);
  expect(await settled(Promise.race(later))).toBe(false);

  disk.release();
  expect(await first).toBe(true);
  expect(await settled(Promise.race(later))).toBe(false);
  await eventually("the sync covering the later batch", () => disk.waiting === 1);
  disk.release();
  expect(await Promise.all(later)).toEqual([true, true]);
});

it("makes a write that changed nothing wait for the sync of what it may have read", async () => {
  const adding = store.deliveries.add(delivery("read-after"), 60_000);
  await eventually("the sync of the add", () => disk.waiting === 1);
  const syncsBefore = disk.calls;
  // Marking an unknown delivery done changes no row.
  const noop = store.deliveries.markDone("unknown");
  expect(await settled(noop)).toBe(false);
  disk.release();
  await Promise.all([adding, noop]);
  // It waited for the sync in flight and asked for none of its own.
  expect(disk.calls).toBe(syncsBefore);
});

it("rejects every write a failed sync covered, then refuses every write and fails its health check", async () => {
  const covered = [store.deliveries.add(delivery("a"), 0), store.deliveries.add(delivery("b"), 0)];
  await eventually("the sync", () => disk.waiting === 1);
  disk.fail(new Error("EIO: i/o error, fdatasync"));
  for (const result of await Promise.allSettled(covered)) expect(result).toMatchObject({ status: "rejected", reason: { message: /EIO/ } });

  const commits = store.groupCommit.commits;
  await expect(store.deliveries.add(delivery("c"), 0)).rejects.toThrow(/EIO/);
  expect(store.groupCommit.commits).toBe(commits);
  // Reads fail too: what they would see may not be on disk.
  await expect(store.deliveries.get("a")).rejects.toThrow(/EIO/);
  await expect(store.ping()).rejects.toThrow(/restart repol/);
});

it("marks a delivery its effect already settled done without waiting for a sync", async () => {
  disk.releaseAll();
  await store.deliveries.add(delivery("settled"), 60_000);
  await store.deliveries.markDone("settled");
  disk.hold();
  const calls = disk.calls;
  // The queue's own mark once the handler returns: already done, so nothing to write or sync.
  await store.deliveries.markDone("settled");
  expect(disk.calls).toBe(calls);
});
