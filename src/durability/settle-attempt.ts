// What follows one attempt at durable work, decided by one rule for deliveries and effects alike: done,
// tried again after a pause that doubles, or stopped (refused for good, or out of attempts).
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { Log } from "../domain/log.js";
import type { EffectAttempt } from "../github/deliver-effect.js";
import { retryDelayMs, type RetryPolicy } from "./retry-delay.js";
import type { DeliveryLog, Outbox, OutboxEntry } from "./work-store.js";

/** How an attempt ended: no failure, one worth repeating, or one that would fail the same way again. */
export type Failure = "none" | "retryable" | "permanent";

export type NextStep = { step: "done" } | { step: "retry"; afterMs: number } | { step: "stop"; exhausted: boolean };

export function nextStep(attempts: number, failure: Failure, policy: RetryPolicy, random: () => number = Math.random): NextStep {
  if (failure === "none") return { step: "done" };
  if (failure === "permanent") return { step: "stop", exhausted: false };
  if (attempts >= policy.maxAttempts) return { step: "stop", exhausted: true };
  return { step: "retry", afterMs: retryDelayMs(attempts, policy, random) };
}

export type Settled = "done" | "retry" | "dead";

/** Records an effect's attempt: finished (delivered, or refused for good), retried later, or dead. */
export async function settleAttempt(
  outbox: Outbox,
  entry: Pick<OutboxEntry, "id" | "kind" | "attempts" | "delivery_id">,
  attempt: EffectAttempt,
  policy: RetryPolicy,
  log: Log,
): Promise<Settled> {
  const where = { effect: entry.id, kind: entry.kind, delivery: entry.delivery_id, attempts: entry.attempts };
  const next = nextStep(entry.attempts, attempt.outcome.ok ? "none" : attempt.retryable ? "retryable" : "permanent", policy);
  if (next.step === "done" || (next.step === "stop" && !next.exhausted)) {
    await outbox.complete(entry.id, attempt.outcome);
    if (!attempt.outcome.ok) log.warn({ ...where, outcome: attempt.outcome }, "GitHub refused the effect for good; recorded, not retried");
    return "done";
  }
  if (next.step === "stop") {
    const outcome: EffectOutcome = { ...attempt.outcome, error: `gave up after ${entry.attempts} attempts: ${attempt.outcome.error ?? "no answer"}` };
    await outbox.giveUp(entry.id, outcome);
    log.error({ ...where, outcome }, "effect dead: GitHub never took it; see the outbox");
    return "dead";
  }
  await outbox.retryLater(entry.id, { ...attempt.outcome, error: `will retry: ${attempt.outcome.error ?? "no answer"}` }, next.afterMs);
  log.warn({ ...where, outcome: attempt.outcome, retry_in_ms: next.afterMs }, "effect not delivered; will retry");
  return "retry";
}

/** Records a delivery's processing: done, pending again after a pause, or failed for good. */
export async function settleDelivery(
  deliveries: DeliveryLog,
  delivery: { id: string; event: string; attempts: number },
  error: unknown,
  failure: Failure,
  policy: RetryPolicy,
  log: Log,
): Promise<void> {
  const where = { delivery: delivery.id, event: delivery.event, attempts: delivery.attempts };
  try {
    const next = nextStep(delivery.attempts, failure, policy);
    if (next.step === "done") return await deliveries.markDone(delivery.id);
    const message = error instanceof Error ? error.message : String(error);
    await deliveries.markFailed(delivery.id, message, next.step === "retry" ? next.afterMs : null);
    if (next.step === "retry") log.warn({ ...where, err: error, retry_in_ms: next.afterMs }, "delivery failed; will process it again");
    else log.error({ ...where, err: error }, "delivery failed for good; see the deliveries table");
  } catch (storeError) {
    // The row stays claimed until its lease ends, then a sweep processes it again.
    log.error({ ...where, err: storeError }, "could not record the outcome of a delivery");
  }
}
