// Writes to the SQLite work tables asked for together share one transaction (one fsync), and each
// caller hears back only once that transaction is committed; a failed write or commit is reported to
// exactly the callers it affected.
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { auditRow } from "../audit/fixtures.js";

const delivery = (id: string) => ({ id, event: "ping", action: null, body: JSON.stringify({ zen: id }) });
const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

let store: SqliteAuditStore;
let failCommits = false;
let batchSizes: number[];

beforeEach(async () => {
  failCommits = false;
  batchSizes = [];
  store = openSqliteStore(":memory:", {
    beforeCommit(writes) {
      batchSizes.push(writes);
      if (failCommits) throw new Error("disk I/O error");
    },
  });
  await store.migrate();
  // The migration is a write of its own.
  batchSizes = [];
});
afterEach(async () => {
  await store.close();
});

it("stores deliveries asked for in one turn with one commit", async () => {
  const before = store.groupCommit.commits;
  const stored = await Promise.all(ids(50, "burst").map((id) => store.deliveries.add(delivery(id), 60_000)));
  expect(stored).toEqual(Array(50).fill(true));
  expect(store.groupCommit.commits - before).toBe(1);
  expect(batchSizes).toEqual([50]);
  expect(await store.deliveries.known(ids(50, "burst"))).toEqual(new Set(ids(50, "burst")));
});

it("answers a write only once its batch is committed", async () => {
  const adding = store.deliveries.add(delivery("later"), 60_000);
  // Nothing is written in the turn that asked: the batch waits for the requests read with it.
  expect(await store.deliveries.get("later")).toBeUndefined();
  expect(await adding).toBe(true);
  expect(await store.deliveries.get("later")).toMatchObject({ status: "pending" });
});

it("undoes a failing write alone and commits the rest of its batch", async () => {
  const rowsBefore = await store.count({});
  const [first, broken, last] = await Promise.allSettled([
    store.deliveries.add(delivery("before"), 0),
    store.outbox.recordWithEffect(auditRow({ delivery_id: "bad" }), { kind: "check_run", installation_id: 1, request: { cyclic: 1n } }, 0),
    store.deliveries.add(delivery("after"), 0),
  ]);
  expect(first).toEqual({ status: "fulfilled", value: true });
  expect(broken.status).toBe("rejected");
  expect(last).toEqual({ status: "fulfilled", value: true });
  expect(batchSizes).toEqual([3]);
  // The failing write had inserted its audit row before it threw: that row is gone with it.
  expect(await store.count({})).toBe(rowsBefore);
  expect(await store.deliveries.known(["before", "after"])).toEqual(new Set(["before", "after"]));
});

it("rejects every write of a batch whose commit fails, and keeps none of them", async () => {
  failCommits = true;
  const before = store.groupCommit.commits;
  const results = await Promise.allSettled(ids(5, "lost").map((id) => store.deliveries.add(delivery(id), 60_000)));
  expect(results.map((result) => result.status)).toEqual(Array(5).fill("rejected"));
  expect(store.groupCommit.commits).toBe(before);
  expect(await store.deliveries.known(ids(5, "lost"))).toEqual(new Set());

  failCommits = false;
  expect(await store.deliveries.add(delivery("lost-0"), 60_000)).toBe(true);
});

it("marks a delivery done in the transaction that settles its effect's first attempt", async () => {
  await store.deliveries.add(delivery("decided"), 60_000);
  const { effect } = await store.outbox.recordWithEffect(auditRow({ delivery_id: "decided" }), { kind: "check_run", installation_id: 1, request: {} }, 60_000);
  expect(await store.deliveries.get("decided")).toMatchObject({ status: "pending" });
  const before = store.groupCommit.commits;
  await store.outbox.complete(effect!.id, { kind: "check_run", ok: true });
  expect(store.groupCommit.commits - before).toBe(1);
  expect(await store.deliveries.get("decided")).toMatchObject({ status: "done", attempts: 1 });
  // The queue's own mark once the handler returns then writes nothing.
  await store.deliveries.markDone("decided");
  expect(store.groupCommit.commits - before).toBe(1);
});
