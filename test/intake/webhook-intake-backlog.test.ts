// Deliveries that arrive while the in-memory queue is full wait in the delivery log; they must be
// taken as soon as room frees, not only at the next periodic sweep (here: none at all).
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
  served = await serveIntake(probot, store.deliveries, { sweepIntervalMs: 0, concurrency: 1, capacity: 1 });

  const deliveries = ["first", "second", "third"].map((id) => signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: id }, id));
  for (const delivery of deliveries) {
    const response = await fetch(served.url, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(202);
  }
  expect(processed).toEqual([]);

  release();
  await eventually("all three deliveries to be processed", () => processed.length === 3 || undefined);
  expect(processed.sort()).toEqual(["first", "second", "third"]);
  expect(await served.intake.drain(1_000)).toBe(true);
});

it("runs at once a delivery that saw room while another was being stored, instead of leaving it claimed until its lease ends", async () => {
  store = openSqliteStore(":memory:");
  await store.migrate();
  const probot = testProbot();
  const processed: string[] = [];
  probot.onAny(async (event) => {
    processed.push(event.id);
  });
  // Both deliveries reach the store before either is written, as two requests read in one turn do.
  let adds = 0;
  let releaseStore!: () => void;
  const storeHeld = new Promise<void>((resolve) => (releaseStore = resolve));
  const log = store.deliveries!;
  const held = Object.create(log) as typeof log;
  held.add = async (...args) => {
    adds++;
    await storeHeld;
    return log.add(...args);
  };
  // No sweep timer: a delivery stored as claimed with no place to run would wait for its 2-minute lease.
  served = await serveIntake(probot, held, { sweepIntervalMs: 0, concurrency: 1, capacity: 1 });

  const answers = ["first", "second"].map((id) => {
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: id }, id);
    return fetch(served.url, { method: "POST", headers: delivery.headers, body: delivery.body });
  });
  await eventually("both deliveries to reach the store", () => adds === 2 || undefined);
  releaseStore();
  expect((await Promise.all(answers)).map((response) => response.status)).toEqual([202, 202]);

  await eventually("both deliveries to be processed", () => processed.length === 2 || undefined);
  expect(processed.sort()).toEqual(["first", "second"]);
});

it("keeps taking deliveries from the log while the queue has room, also room freed while a claim was being written", async () => {
  store = openSqliteStore(":memory:");
  await store.migrate();
  const probot = testProbot();
  const processed: string[] = [];
  const gates = new Map<string, () => void>();
  const held = new Set(["first", "second"]);
  probot.onAny(async (event) => {
    if (held.has(event.id)) await new Promise<void>((resolve) => gates.set(event.id, resolve));
    processed.push(event.id);
  });
  // The next claim from the log is held until released, as a claim waiting for its commit is.
  const log = store.deliveries!;
  const slowLog = Object.create(log) as typeof log;
  let claimHeld: Promise<void> | null = null;
  let claims = 0;
  slowLog.claimDue = async (...args) => {
    claims++;
    if (claimHeld) await claimHeld;
    return log.claimDue(...args);
  };
  served = await serveIntake(probot, slowLog, { sweepIntervalMs: 0, concurrency: 2, capacity: 2 });

  for (const id of ["first", "second", "third", "fourth"]) {
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "ping", { zen: id }, id);
    expect((await fetch(served.url, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(202);
  }
  await eventually("the first two deliveries to be running", () => gates.size === 2 || undefined);

  let releaseClaim!: () => void;
  claimHeld = new Promise<void>((resolve) => (releaseClaim = resolve));
  const claimsBefore = claims;
  // "first" frees one place: a claim for one delivery starts and is held ...
  gates.get("first")!();
  await eventually("a claim from the log to start", () => claims > claimsBefore || undefined);
  // ... while "second" frees another, with no sweep of its own to fill it.
  gates.get("second")!();
  await eventually("the second delivery to finish", () => processed.includes("second") || undefined);
  claimHeld = null;
  releaseClaim();

  await eventually("all four deliveries to be processed", () => processed.length === 4 || undefined);
  expect(processed.sort()).toEqual(["first", "fourth", "second", "third"]);
});
