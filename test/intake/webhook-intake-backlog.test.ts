// Deliveries that arrive while the in-memory queue is full wait in the delivery log; they must be
// taken as soon as room frees, not only at the next periodic sweep (here: none at all).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { createWebhookIntake } from "../../src/intake/webhook-intake.js";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testProbot } from "../helpers/test-probot.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let store: SqliteAuditStore;
let server: Server;

afterEach(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await store.close();
});

it("processes deliveries that overflowed the queue as soon as the running one finishes", async () => {
  store = openSqliteStore(":memory:");
  await store.migrate();
  const probot = testProbot();
  const processed: string[] = [];
  let release!: () => void;
  const firstBlocks = new Promise<void>((resolve) => (release = resolve));
  probot.onAny(async (event) => {
    if (processed.length === 0) await firstBlocks;
    processed.push(event.id);
  });
  const intake = createWebhookIntake({
    probot,
    deliveries: store.deliveries,
    checkSignature: (body, signature) => probot.webhooks.verify(body, signature),
    maxBodyBytes: 1024 * 1024,
    log: silent,
    sweepIntervalMs: 0,
    concurrency: 1,
    capacity: 1,
  });
  await intake.start();
  const app = express().post(WEBHOOK_PATH, (req, res) => void intake.receive(req, res));
  server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`;

  const deliveries = ["first", "second", "third"].map((id) => signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: id }, id));
  for (const delivery of deliveries) {
    const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(202);
  }
  expect(processed).toEqual([]);

  release();
  await eventually("all three deliveries to be processed", () => processed.length === 3 || undefined);
  expect(processed.sort()).toEqual(["first", "second", "third"]);
  expect(await intake.drain(1_000)).toBe(true);
});
