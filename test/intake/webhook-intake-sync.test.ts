// The intake answers 202 only once the delivery is on disk: with the store's sync held by the test,
// the answer waits; released, it comes. The deliveries a failed sync covered are answered 503, and so
// is every one after it until a restart.
import { afterEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { eventually } from "../helpers/eventually.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testProbot } from "../helpers/test-probot.js";
import { heldSync, settled, type HeldSync } from "../durability/held-sync.js";
import { serveIntake, type ServedIntake } from "./serve-intake.js";

let disk: HeldSync;
let store: SqliteAuditStore;
let served: ServedIntake;

afterEach(async () => {
  disk.releaseAll();
  await served.close();
  await store.close();
});

async function servedWithHeldSync(): Promise<void> {
  disk = heldSync();
  disk.releaseAll();
  store = openSqliteStore(":memory:", { sync: disk.sync });
  await store.migrate();
  served = await serveIntake(testProbot(), store.deliveries, { sweepIntervalMs: 0 });
  disk.hold();
}

const post = (id: string, secret = TEST_WEBHOOK_SECRET) => {
  const delivery = signedDelivery(secret, "ping", { zen: id }, id);
  return fetch(served.url, { method: "POST", headers: delivery.headers, body: delivery.body });
};

it("does not answer a delivery before its sync has finished, and answers 202 once it has", async () => {
  await servedWithHeldSync();
  const answer = post("held");
  await eventually("the delivery's sync", () => disk.waiting === 1);
  // A request answered without the store, sent after the first one: once it is back, the first would be too.
  expect((await post("unsigned", "another-secret")).status).toBe(400);
  expect(await settled(answer)).toBe(false);

  disk.release();
  expect((await answer).status).toBe(202);
});

it("answers 503 to the deliveries a failed sync covered, and keeps what was acknowledged before", async () => {
  await servedWithHeldSync();
  disk.releaseAll();
  expect((await post("before")).status).toBe(202);
  await eventually("the first delivery to be done", async () => (await store.deliveries.get("before"))?.status === "done");
  disk.hold();

  const refused = [post("lost-1"), post("lost-2")];
  await eventually("their sync", () => disk.waiting === 1);
  disk.fail(new Error("EIO: i/o error, fdatasync"));
  for (const response of await Promise.all(refused)) {
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "store_unavailable" });
  }
  // Nothing more is acknowledged (GitHub redelivers after the restart); the one acknowledged before was
  // on disk, and done, before the failure.
  expect((await post("after")).status).toBe(503);
});
