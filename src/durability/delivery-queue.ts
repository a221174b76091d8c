// Runs stored deliveries: a bounded number at once, one at a time per deployment / pull request, and
// marks each done or failed in the delivery log. The log is the real queue: memory holds at most
// `capacity` deliveries, and whatever does not fit (or was left by a crash) waits there for a sweep.
import { deliveryKey } from "../intake/delivery-key.js";
import { systemClock, type Clock } from "./clock.js";
import { createKeyedQueue } from "./keyed-queue.js";
import { DEFAULT_LEASE, whileLeased, type LeasePolicy } from "./lease.js";
import { DELIVERY_RETRY, type RetryPolicy } from "./retry-delay.js";
import type { Log } from "../domain/log.js";
import { settleDelivery } from "./settle-attempt.js";
import type { DeliveryLog, StoredDelivery } from "./work-store.js";

export interface QueuedDelivery {
  id: string;
  event: string;
  payload: unknown;
  /** Attempts started, this one included. */
  attempts: number;
}

export interface DeliveryQueueOptions {
  deliveries: DeliveryLog;
  process(delivery: QueuedDelivery): Promise<void>;
  log: Log;
  concurrency?: number;
  capacity?: number;
  retry?: RetryPolicy;
  lease?: LeasePolicy;
  clock?: Clock;
  /** Called each time a delivery finishes and frees room, so a backlog left in the log is picked up then. */
  onRoom?(): void;
}

export interface DeliveryQueue {
  /** Deliveries accepted and not finished. */
  readonly size: number;
  /** How long a delivery claimed for this queue is held before a sweep may take it again. */
  readonly lease: LeasePolicy;
  hasRoom(): boolean;
  /** Runs a delivery already stored and claimed; false (and nothing run) when the queue is full. */
  offer(delivery: QueuedDelivery): boolean;
  /**
   * Holds a place for a delivery about to be stored (claimed for this queue), or null when the queue
   * is full. The place counts as taken while the store is written, so the delivery stored as claimed
   * always gets to run: without it, deliveries arriving together could all see room, all be stored as
   * claimed, and the ones that no longer fit would wait out their lease before a sweep took them.
   */
  reserve(): Reservation | null;
  /** Claims due deliveries from the log (left by a crash, a full queue, or a failed attempt) and runs them. */
  sweep(): Promise<number>;
  /** Resolves true once every accepted delivery has finished, false when `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean>;
}

export interface Reservation {
  /** Runs the delivery in the reserved place. */
  run(delivery: QueuedDelivery): void;
  /** Gives the place back (the delivery was not stored, or was stored before). */
  cancel(): void;
}

export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { deliveries, log } = options;
  const concurrency = options.concurrency ?? 8;
  const capacity = options.capacity ?? 200;
  const retry = options.retry ?? DELIVERY_RETRY;
  const lease = options.lease ?? DEFAULT_LEASE;
  const clock = options.clock ?? systemClock;
  const perKey = createKeyedQueue();
  const running = new Set<Promise<void>>();
  let active = 0;
  let reserved = 0;
  const waiting: (() => void)[] = [];

  const slot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };

  const held = (delivery: QueuedDelivery) => ({
    // Done before its handler returns when the decision is recorded (the outbox sends the rest): still ours.
    renew: async (leaseMs: number) =>
      (await deliveries.renew(delivery.id, delivery.attempts, leaseMs)) || (await deliveries.get(delivery.id))?.status === "done",
    onLost: (error: unknown) => log.warn({ delivery: delivery.id, event: delivery.event, err: error }, "could not renew the lease of a delivery in progress"),
  });

  // The lease is renewed from the moment the delivery is taken, so time spent waiting behind others for
  // the same key or for a free slot counts as held too; the outcome is recorded once nothing renews it.
  const run = async (delivery: QueuedDelivery): Promise<void> => {
    let failure: unknown;
    try {
      await whileLeased(held(delivery), lease, clock, () =>
        perKey(deliveryKey(delivery.event, delivery.payload, delivery.id), () => slot(() => options.process(delivery))),
      );
    } catch (error) {
      failure = error ?? new Error("delivery failed");
    }
    const kind = failure === undefined ? "none" : isPermanent(failure) ? "permanent" : "retryable";
    await settleDelivery(deliveries, delivery, failure, kind, retry, log);
  };

  const start = (delivery: QueuedDelivery) => {
    const work = run(delivery).finally(() => {
      running.delete(work);
      options.onRoom?.();
    });
    running.add(work);
  };

  const queue: DeliveryQueue = {
    get size() {
      return running.size;
    },
    lease,
    hasRoom: () => running.size + reserved < capacity,
    offer(delivery) {
      if (!queue.hasRoom()) return false;
      start(delivery);
      return true;
    },
    reserve() {
      if (!queue.hasRoom()) return null;
      reserved++;
      let settled = false;
      const release = () => {
        if (settled) return false;
        settled = true;
        reserved--;
        return true;
      };
      return {
        run: (delivery) => {
          if (release()) start(delivery);
        },
        cancel: () => {
          if (release()) options.onRoom?.();
        },
      };
    },
    async sweep() {
      const room = capacity - running.size - reserved;
      if (room <= 0) return 0;
      // The places are held while the claim is written, so every delivery claimed gets to run now
      // rather than wait out its lease because deliveries arriving meanwhile took its place.
      reserved += room;
      let due: StoredDelivery[];
      try {
        due = await deliveries.claimDue(room, lease.leaseMs);
      } finally {
        reserved -= room;
      }
      for (const stored of due) {
        const parsed = parsedDelivery(stored);
        if (parsed) start(parsed);
        else await settleDelivery(deliveries, stored, new Error("the stored body is not JSON"), "permanent", retry, log);
      }
      return due.length;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
      const settled = (async () => {
        while (running.size > 0) await Promise.allSettled([...running]);
        return true as const;
      })();
      try {
        return await Promise.race([settled, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return queue;
}

function parsedDelivery(stored: StoredDelivery): QueuedDelivery | undefined {
  try {
    return { id: stored.id, event: stored.event, payload: JSON.parse(stored.body), attempts: stored.attempts };
  } catch {
    return undefined;
  }
}

/**
 * A delivery refused for what it is (a 4xx, e.g. a payload missing fields) fails the same way every
 * time: retrying it only delays the log line. Probot wraps handler errors in an AggregateError.
 */
export function isPermanent(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(isPermanent);
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
