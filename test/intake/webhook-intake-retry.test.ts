// A delivery whose processing failed waits in the delivery log and is processed again when its retry is
// due: here when the test moves the clock and ticks the sweep, never after a real pause.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { createWebhookIntake, type WebhookIntake } from "../../src/intake/webhook-intake.js";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testProbot } from "../helpers/test-probot.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let store: SqliteAuditStore;
let server: Server;
let intake: WebhookIntake;

afterEach(async () => {
  await intake.drain(1_000);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
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
  intake = createWebhookIntake({
    probot,
    deliveries: store.deliveries,
    checkSignature: (body, signature) => probot.webhooks.verify(body, signature),
    maxBodyBytes: 1024 * 1024,
    log: silent,
    sweepIntervalMs: 0,
    clock,
  });
  await intake.start();
  const app = express().post(WEBHOOK_PATH, (req, res) => void intake.receive(req, res));
  server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: "retry me" }, "flaky");

  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  expect(response.status).toBe(202);
  await eventually("the first attempt to fail", async () => (await store.deliveries.get("flaky"))?.last_error === "GitHub answered 502");

  await intake.sweep();
  expect(attempts).toBe(1);
  // The first retry comes 8 to 10 s after the failure.
  await clock.advance(10_000);
  await intake.sweep();
  await intake.queue.drain(1_000);

  expect(attempts).toBe(2);
  expect(await store.deliveries.get("flaky")).toMatchObject({ status: "done", attempts: 2 });
});
