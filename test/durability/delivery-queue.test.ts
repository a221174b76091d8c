// The in-process side of the delivery queue: order per key, a bound on concurrency and on memory,
// leases held while a delivery is worked on, outcomes written to a real (in-memory SQLite) delivery log.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { IncompletePayloadError } from "../../src/handlers/payload-fields.js";
import { createDeliveryQueue, isPermanent, type QueuedDelivery } from "../../src/durability/delivery-queue.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { auditRow } from "../audit/fixtures.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

let store: SqliteAuditStore;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock();
  store = openSqliteStore(":memory:", { clock: clock.now });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
});

function review(id: string, pr: number): QueuedDelivery {
  return { id, event: "pull_request_review", payload: { repository: { full_name: "acme/widgets" }, pull_request: { number: pr } }, attempts: 1 };
}

async function stored(delivery: QueuedDelivery, claimForMs = 60_000): Promise<QueuedDelivery> {
  await store.deliveries.add({ id: delivery.id, event: delivery.event, action: null, body: JSON.stringify(delivery.payload) }, claimForMs);
  return delivery;
}

/** A process function whose calls a test finishes one by one. */
function controlled() {
  const started: string[] = [];
  const finishers = new Map<string, (error?: Error) => void>();
  let concurrent = 0;
  let maxConcurrent = 0;
  return {
    started,
    get maxConcurrent() {
      return maxConcurrent;
    },
    process: (delivery: QueuedDelivery) =>
      new Promise<void>((resolve, reject) => {
        started.push(delivery.id);
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        finishers.set(delivery.id, (error) => {
          concurrent--;
          if (error) reject(error);
          else resolve();
        });
      }),
    finish: (id: string, error?: Error) => finishers.get(id)!(error),
  };
}

/**
 * Lets the queue's promise chains run; nothing here waits on I/O. SQLite writes are committed as one
 * batch at the next turn of the event loop (sqlite-group-commit.ts), so a write and what follows it
 * take a few turns.
 */
const tick = async () => {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe("createDeliveryQueue", () => {
  it("runs deliveries about the same pull request one after the other, and others alongside", async () => {
    const work = controlled();
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log: silent });
    for (const [id, pr] of [
      ["a1", 1],
      ["a2", 1],
      ["b1", 2],
    ] as const)
      queue.offer(await stored(review(id, pr)));
    await tick();
    expect(work.started).toEqual(["a1", "b1"]);

    work.finish("a1");
    await tick();
    expect(work.started).toEqual(["a1", "b1", "a2"]);
    work.finish("a2");
    work.finish("b1");
    expect(await queue.drain(1_000)).toBe(true);
    expect((await store.deliveries.get("a2"))!.status).toBe("done");
  });

  it("never runs more deliveries at once than its concurrency", async () => {
    const work = controlled();
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log: silent, concurrency: 3 });
    for (let pr = 1; pr <= 8; pr++) queue.offer(await stored(review(`d${pr}`, pr)));
    for (let round = 0; round < 8; round++) {
      await tick();
      work.finish(work.started[round]!);
    }
    expect(await queue.drain(1_000)).toBe(true);
    expect(work.maxConcurrent).toBe(3);
    expect(work.started).toHaveLength(8);
  });

  it("still holds a delivery that its settled effect marked done while its handler finishes", async () => {
    const warnings: string[] = [];
    const log = { ...silent, warn: (_details: object, message: string) => void warnings.push(message) };
    const work = controlled();
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log, lease: { leaseMs: 60_000, renewEveryMs: 20_000 } });
    queue.offer(await stored(review("settled", 1)));
    await tick();
    const { effect } = await store.outbox.recordWithEffect(
      auditRow({ delivery_id: "settled" }),
      { kind: "check_run", installation_id: 1, request: {} },
      60_000,
    );
    await store.outbox.complete(effect!.id, { kind: "check_run", ok: true });
    await clock.advance(20_000);
    work.finish("settled");
    expect(await queue.drain(1_000)).toBe(true);
    expect(warnings).toEqual([]);
    expect(await store.deliveries.get("settled")).toMatchObject({ status: "done", attempts: 1 });
  });

  it("takes no more than its capacity in memory, and leaves the rest in the log for a sweep", async () => {
    const work = controlled();
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log: silent, capacity: 2 });
    expect(queue.offer(await stored(review("in-1", 1)))).toBe(true);
    expect(queue.offer(await stored(review("in-2", 2)))).toBe(true);
    expect(queue.hasRoom()).toBe(false);
    expect(queue.offer(await stored(review("later", 3), 0))).toBe(false);
    await tick();
    expect(work.started).toEqual(["in-1", "in-2"]);

    work.finish("in-1");
    await tick();
    expect(await queue.sweep()).toBe(1);
    await tick();
    expect(work.started).toEqual(["in-1", "in-2", "later"]);
    work.finish("in-2");
    work.finish("later");
    expect(await queue.drain(1_000)).toBe(true);
  });

  it("keeps a failed delivery pending for a later attempt, and fails it for good after the last one", async () => {
    const queue = createDeliveryQueue({
      clock,
      deliveries: store.deliveries,
      process: async () => {
        throw new Error("GitHub answered 502");
      },
      log: silent,
      retry: { maxAttempts: 2, baseMs: 1_000, capMs: 1_000 },
    });
    queue.offer(await stored(review("flaky", 1)));
    await queue.drain(1_000);
    expect(await store.deliveries.get("flaky")).toMatchObject({ status: "pending", attempts: 1, last_error: "GitHub answered 502" });

    await clock.advance(2_000);
    expect(await queue.sweep()).toBe(1);
    await queue.drain(1_000);
    expect(await store.deliveries.get("flaky")).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("fails a delivery refused for its content (a 4xx) for good at once, without retrying it", async () => {
    let calls = 0;
    const queue = createDeliveryQueue({
      clock,
      deliveries: store.deliveries,
      process: async () => {
        calls++;
        throw new AggregateError([new IncompletePayloadError("the pull_request webhook lacks pull_request.head.sha")]);
      },
      log: silent,
      retry: { maxAttempts: 5, baseMs: 1_000, capMs: 1_000 },
    });
    queue.offer(await stored(review("incomplete", 2)));
    await queue.drain(1_000);

    expect(calls).toBe(1);
    expect(await store.deliveries.get("incomplete")).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("never hands a delivery out again while its worker is still on it, however long the decision takes", async () => {
    const work = controlled();
    const lease = { leaseMs: 60_000, renewEveryMs: 20_000 };
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log: silent, lease });
    queue.offer(await stored(review("slow", 1), lease.leaseMs));
    await tick();

    // Ten leases' worth of time passes while GitHub keeps the decision waiting.
    await clock.advance(10 * lease.leaseMs);
    expect(await store.deliveries.claimDue(10, lease.leaseMs)).toEqual([]);
    expect(await queue.sweep()).toBe(0);

    work.finish("slow");
    expect(await queue.drain(1_000)).toBe(true);
    expect(work.started).toEqual(["slow"]);
    expect(await store.deliveries.get("slow")).toMatchObject({ status: "done", attempts: 1 });
    expect(clock.pendingTimers).toBe(0);
  });

  it("keeps the lease of a delivery waiting behind another one for the same pull request", async () => {
    const work = controlled();
    const lease = { leaseMs: 60_000, renewEveryMs: 20_000 };
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log: silent, lease });
    queue.offer(await stored(review("first", 1), lease.leaseMs));
    queue.offer(await stored(review("behind", 1), lease.leaseMs));
    await tick();

    await clock.advance(5 * lease.leaseMs);
    expect(await store.deliveries.claimDue(10, lease.leaseMs)).toEqual([]);

    work.finish("first");
    await tick();
    work.finish("behind");
    expect(await queue.drain(1_000)).toBe(true);
    expect(work.started).toEqual(["first", "behind"]);
  });

  it.each([
    ["a 400 from our own payload check", new IncompletePayloadError("x"), true],
    ["a 502 from GitHub", Object.assign(new Error("bad gateway"), { status: 502 }), false],
    ["a 429 rate limit", Object.assign(new Error("slow down"), { status: 429 }), false],
    ["an error without a status", new Error("socket hang up"), false],
    ["an AggregateError mixing a 400 and a 502", new AggregateError([new IncompletePayloadError("x"), Object.assign(new Error("y"), { status: 502 })]), false],
  ])("treats %s as permanent: %s", (_label, error, permanent) => {
    expect(isPermanent(error)).toBe(permanent);
  });

  it("says when draining timed out with work still running", async () => {
    const work = controlled();
    const queue = createDeliveryQueue({ clock, deliveries: store.deliveries, process: work.process, log: silent });
    queue.offer(await stored(review("slow", 1)));
    expect(await queue.drain(30)).toBe(false);
    work.finish("slow");
    expect(await queue.drain(1_000)).toBe(true);
  });
});
