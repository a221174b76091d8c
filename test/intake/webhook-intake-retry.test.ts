// A delivery whose processing failed waits in the delivery log and is processed again when its retry is
// due: here when the test moves the clock and ticks the sweep, never after a real pause.
import { afterEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { eventually } from "../helpers/eventually.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testProbot } from "../helpers/test-probot.js";
import { serveIntake, type ServedIntake } from "./serve-intake.js";

let store: SqliteAuditStore;
let served: ServedIntake;

afterEach(async () => {
  await served.close();
  await store.close();
});

it("processes a failed delivery again once its retry is due, and not before", async () => {
  const clock = new ManualClock();
  store = openSqliteStore(":memory:", { clock: clock.now });
  await store.migrate();
  const probot = testProbot();
  let attempts = 0;
  probot.onAny(async () => {
    if (++attempts === 1) throw Object.assign(new Error("GitHub answered 502"), { status: 502 });
  });
  served = await serveIntake(probot, store.deliveries, { sweepIntervalMs: 0, clock });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: "retry me" }, "flaky");

  const response = await fetch(served.url, { method: "POST", headers: delivery.headers, body: delivery.body });
  expect(response.status).toBe(202);
  await eventually("the first attempt to fail", async () => (await store.deliveries.get("flaky"))?.last_error === "GitHub answered 502");

  await served.intake.sweep();
  expect(attempts).toBe(1);
  // The first retry comes 8 to 10 s after the failure.
  await clock.advance(10_000);
  await served.intake.sweep();
  await served.intake.queue.drain(1_000);

  expect(attempts).toBe(2);
  expect(await store.deliveries.get("flaky")).toMatchObject({ status: "done", attempts: 2 });
});
