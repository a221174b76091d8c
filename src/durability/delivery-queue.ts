// Runs stored deliveries: a bounded number at once, one at a time per deployment / pull request, and
// marks each done or failed in the delivery log. The log is the real queue: memory holds at most
// `capacity` deliveries, and whatever does not fit (or was left by a crash) waits there for a sweep.
import type { DeliveryLog, StoredDelivery } from "./work-store.js";
import { createKeyedQueue } from "./keyed-queue.js";
import { retryDelayMs, type RetryPolicy } from "./retry-delay.js";
import { deliveryKey } from "../intake/delivery-key.js";

export interface QueuedDelivery {
  id: string;
  event: string;
  payload: unknown;
  /** Attempts started, this one included. */
  attempts: number;
}

export interface QueueLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface DeliveryQueueOptions {
  deliveries: DeliveryLog;
  process(delivery: QueuedDelivery): Promise<void>;
  log: QueueLog;
  concurrency?: number;
  capacity?: number;
  retry?: RetryPolicy;
  /** Called each time a delivery finishes and frees room, so a backlog left in the log is picked up then. */
  onRoom?(): void;
}

export interface DeliveryQueue {
  /** Deliveries accepted and not finished. */
  readonly size: number;
  hasRoom(): boolean;
  /** Runs a delivery already stored and claimed; false (and nothing run) when the queue is full. */
  offer(delivery: QueuedDelivery): boolean;
  /** Claims due deliveries from the log (left by a crash, a full queue, or a failed attempt) and runs them. */
  sweep(): Promise<number>;
  /** Resolves true once every accepted delivery has finished, false when `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** A claimed delivery belongs to its process this long; after it a sweep may run it again. */
export const DELIVERY_LEASE_MS = 5 * 60_000;
export const DELIVERY_RETRY: RetryPolicy = { maxAttempts: 5, baseMs: 10_000, capMs: 10 * 60_000 };

export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { deliveries, log } = options;
  const concurrency = options.concurrency ?? 8;
  const capacity = options.capacity ?? 200;
  const retry = options.retry ?? DELIVERY_RETRY;
  const perKey = createKeyedQueue();
  const running = new Set<Promise<void>>();
  let active = 0;
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

  const settle = async (delivery: QueuedDelivery, error: unknown) => {
    const where = { delivery: delivery.id, event: delivery.event, attempts: delivery.attempts };
    try {
      if (error === undefined) return await deliveries.markDone(delivery.id);
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = !isPermanent(error) && delivery.attempts < retry.maxAttempts ? new Date(Date.now() + retryDelayMs(delivery.attempts, retry)) : null;
      await deliveries.markFailed(delivery.id, message, retryAt);
      if (retryAt) log.warn({ ...where, err: error, retry_at: retryAt.toISOString() }, "delivery failed; will process it again");
      else log.error({ ...where, err: error }, "delivery failed for good; see the deliveries table");
    } catch (storeError) {
      // The row stays claimed until its lease ends, then a sweep processes it again.
      log.error({ ...where, err: storeError }, "could not record the outcome of a delivery");
    }
  };

  const run = (delivery: QueuedDelivery): Promise<void> =>
    perKey(deliveryKey(delivery.event, delivery.payload, delivery.id), () =>
      slot(async () => {
        let failure: unknown;
        try {
          await options.process(delivery);
        } catch (error) {
          failure = error ?? new Error("delivery failed");
        }
        await settle(delivery, failure);
      }),
    );

  const queue: DeliveryQueue = {
    get size() {
      return running.size;
    },
    hasRoom: () => running.size < capacity,
    offer(delivery) {
      if (!queue.hasRoom()) return false;
      const work = run(delivery).finally(() => {
        running.delete(work);
        options.onRoom?.();
      });
      running.add(work);
      return true;
    },
    async sweep() {
      const room = capacity - running.size;
      if (room <= 0) return 0;
      const due = await deliveries.claimDue(room, DELIVERY_LEASE_MS);
      for (const stored of due) {
        const parsed = parsedDelivery(stored);
        if (parsed) queue.offer(parsed);
        else await settle({ id: stored.id, event: stored.event, payload: null, attempts: retry.maxAttempts }, new Error("the stored body is not JSON"));
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
