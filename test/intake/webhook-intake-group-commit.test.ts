// The intake answers 202 only once a delivery's batch is on disk: when the commit of a batch fails,
// every request in it is answered 503 (GitHub redelivers) and none of them is processed.
import { afterEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { eventually } from "../helpers/eventually.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testProbot } from "../helpers/test-probot.js";
import { serveIntake, type ServedIntake } from "./serve-intake.js";

let store: SqliteAuditStore;
let served: ServedIntake;

afterEach(async () => {
  await served.close();
  await store.close();
});

/** Commits fail from the moment the intake has started until the test says otherwise. */
async function servedWithFailingCommits(failing: { now: boolean }) {
  store = openSqliteStore(":memory:", {
    beforeCommit() {
      if (failing.now) throw new Error("disk I/O error");
    },
  });
  await store.migrate();
  const probot = testProbot();
  const processed: string[] = [];
  probot.onAny(async (event) => void processed.push(event.id));
  served = await serveIntake(probot, store.deliveries, { sweepIntervalMs: 0 });
  failing.now = true;
  return processed;
}

const post = (id: string) => {
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: id }, id);
  return fetch(served.url, { method: "POST", headers: delivery.headers, body: delivery.body });
};

it("answers 503 to every request of a batch that could not be committed, and processes none", async () => {
  const failing = { now: false };
  const processed = await servedWithFailingCommits(failing);
  const ids = Array.from({ length: 20 }, (_, i) => `unstored-${i}`);

  const responses = await Promise.all(ids.map(post));
  expect(responses.map((response) => response.status)).toEqual(Array(20).fill(503));
  expect(await responses[0]!.json()).toMatchObject({ error: "store_unavailable" });

  failing.now = false;
  await served.intake.sweep();
  await served.intake.queue.drain(1_000);
  expect(processed).toEqual([]);
  expect(await store.deliveries.known(ids)).toEqual(new Set());
});

it("accepts the redelivery of a request refused while the store failed", async () => {
  const failing = { now: false };
  const processed = await servedWithFailingCommits(failing);
  expect((await post("again")).status).toBe(503);

  failing.now = false;
  expect((await post("again")).status).toBe(202);
  await eventually("the redelivery to be processed", () => processed.includes("again"));
  expect(processed).toEqual(["again"]);
  await eventually("the redelivery to be done", async () => (await store.deliveries.get("again"))?.status === "done");
});
