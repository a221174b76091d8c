// repol's webhook route: cap the body, check the signature, store the delivery, answer GitHub at once
// (well inside its 10 s), then process the delivery from the store. A crash after the answer loses
// nothing: the stored delivery is processed at the next start.
import type { Request, Response } from "express";
import type { Probot } from "probot";
import type { DeliveryLog } from "../durability/work-store.js";
import { systemClock, type Clock } from "../durability/clock.js";
import type { Log } from "../domain/log.js";
import { createDeliveryQueue, type DeliveryQueue } from "../durability/delivery-queue.js";
import type { LeasePolicy } from "../durability/lease.js";
import { startSweeper, type Sweeper } from "../durability/sweeper.js";
import { answerJson } from "./answer-json.js";
import { readCappedBody } from "./read-capped-body.js";
import type { SignatureCheck } from "./webhook-secrets.js";

export interface IntakeOptions {
  probot: Probot;
  deliveries: DeliveryLog;
  checkSignature: SignatureCheck;
  maxBodyBytes: number;
  log: Log;
  /** How often stored deliveries that are due (retries, overflow, a crash's leftovers) are picked up; 0: only when room frees. */
  sweepIntervalMs?: number;
  concurrency?: number;
  capacity?: number;
  lease?: LeasePolicy;
  clock?: Clock;
}

export interface WebhookIntake {
  readonly queue: DeliveryQueue;
  /** The POST handler for the webhook path. */
  receive(req: Request, res: Response): Promise<void>;
  /** Recovers deliveries a previous process left, processes what is due, and sweeps periodically. */
  start(): Promise<void>;
  /** Picks up due deliveries now, as the timer does. */
  sweep(): Promise<void>;
  /** New deliveries get 503 from now on (GitHub can redeliver them to another replica or later). */
  stopAccepting(): void;
  /** Waits for deliveries in progress and stops sweeping. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Finished deliveries are kept this long: longer than GitHub's 3-day redelivery window. */
const KEEP_FINISHED_MS = 7 * 24 * 60 * 60_000;

export function createWebhookIntake(options: IntakeOptions): WebhookIntake {
  const { probot, deliveries, log } = options;
  const clock = options.clock ?? systemClock;
  const queue = createDeliveryQueue({
    deliveries,
    log,
    concurrency: options.concurrency,
    capacity: options.capacity,
    lease: options.lease,
    clock,
    process: (delivery) => probot.receive({ id: delivery.id, name: delivery.event, payload: delivery.payload } as Parameters<Probot["receive"]>[0]),
    // Deliveries that did not fit wait in the log: take them as soon as room frees, not at the next timer.
    onRoom: () => {
      if (!backlog) return;
      backlog = false;
      void sweep();
    },
  });
  let accepting = true;
  let backlog = false;
  let sweeper: Sweeper | undefined;
  // Until start() nothing sweeps: start() itself takes whatever is due. After a drain nothing does.
  const sweep = async () => sweeper?.tick();

  async function sweepOnce(): Promise<void> {
    // Until the queue is full or the log has nothing due: deliveries that finished while a claim was
    // being written freed places no one else will fill (their onRoom found no backlog to sweep for).
    let picked = 0;
    while (queue.hasRoom()) {
      const claimed = await queue.sweep();
      if (claimed === 0) break;
      picked += claimed;
    }
    // Full again: more may be waiting in the log.
    if (!queue.hasRoom()) backlog = true;
    if (picked > 0) log.info({ picked }, "processing stored deliveries");
    await deliveries.purgeFinishedBefore(new Date(clock.now().getTime() - KEEP_FINISHED_MS));
  }

  return {
    queue,
    async receive(req, res) {
      if (!accepting) {
        answerJson(res, 503, { error: "shutting_down", message: "repol is shutting down; redeliver later" }, { close: true });
        return;
      }
      const read = await readCappedBody(req, options.maxBodyBytes);
      if (!read.ok) {
        if (read.reason === "too_large") {
          // The rest of the body is never read: the connection is closed after this answer.
          answerJson(res, 413, { error: "payload_too_large", message: `webhook bodies are limited to ${options.maxBodyBytes} bytes` }, { close: true });
          res.once("finish", () => req.destroy());
        }
        return;
      }
      const id = header(req, "x-github-delivery");
      const event = header(req, "x-github-event");
      const signature = header(req, "x-hub-signature-256");
      if (!id || !event || !signature) {
        answerJson(res, 400, { error: "bad_request", message: "X-GitHub-Delivery, X-GitHub-Event and X-Hub-Signature-256 headers are required" });
        return;
      }
      const body = read.body.toString("utf8");
      if (!(await options.checkSignature(body, signature))) {
        answerJson(res, 400, { error: "bad_signature", message: "the X-Hub-Signature-256 signature does not match the body; check WEBHOOK_SECRET" });
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        answerJson(res, 400, { error: "bad_request", message: "the webhook body is not JSON" });
        return;
      }
      if (payload === null || typeof payload !== "object") {
        answerJson(res, 400, { error: "bad_request", message: "the webhook body is not a JSON object" });
        return;
      }
      const action = typeof (payload as { action?: unknown } | null)?.action === "string" ? (payload as { action: string }).action : null;
      // Stored as claimed only with a place held for it; otherwise stored due, for the next sweep.
      const place = queue.reserve();
      let stored: boolean;
      try {
        stored = await deliveries.add({ id, event, action, body }, place ? queue.lease.leaseMs : 0);
      } catch (error) {
        place?.cancel();
        log.error({ delivery: id, event, err: error }, "could not store a webhook delivery; GitHub will see it failed");
        answerJson(res, 503, { error: "store_unavailable", message: "the delivery could not be stored; redeliver it" });
        return;
      }
      if (!stored) {
        place?.cancel();
        answerJson(res, 200, { status: "already_received", delivery: id });
        return;
      }
      answerJson(res, 202, { status: "accepted", delivery: id });
      if (place) place.run({ id, event, payload, attempts: 1 });
      else {
        backlog = true;
        void sweep();
      }
    },
    async start() {
      const recovered = await deliveries.recoverAtStart();
      if (recovered > 0) log.warn({ recovered }, "deliveries left unfinished by a previous process will be processed again");
      sweeper = startSweeper(sweepOnce, {
        intervalMs: options.sweepIntervalMs ?? 15_000,
        clock,
        onError: (error) => log.error({ err: error }, "delivery sweep failed; will try again"),
      });
      await sweeper.tick();
    },
    sweep,
    stopAccepting() {
      accepting = false;
    },
    async drain(timeoutMs) {
      accepting = false;
      await sweeper?.stop();
      return queue.drain(timeoutMs);
    },
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}
