// What happens to an outbox entry after one delivery attempt: finished, retried later, or given up.
import type { EffectOutcome } from "../audit/record.js";
import type { Outbox, OutboxEntry } from "./work-store.js";
import type { EffectAttempt } from "../github/deliver-effect.js";
import { retryDelayMs, type RetryPolicy } from "./retry-delay.js";

export interface OutboxLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export type Settled = "done" | "retry" | "dead";

export async function settleAttempt(
  outbox: Outbox,
  entry: Pick<OutboxEntry, "id" | "kind" | "attempts" | "delivery_id">,
  attempt: EffectAttempt,
  policy: RetryPolicy,
  log: OutboxLog,
  now: () => Date = () => new Date(),
): Promise<Settled> {
  const where = { effect: entry.id, kind: entry.kind, delivery: entry.delivery_id, attempts: entry.attempts };
  if (!attempt.retryable) {
    await outbox.complete(entry.id, attempt.outcome);
    if (!attempt.outcome.ok) log.warn({ ...where, outcome: attempt.outcome }, "GitHub refused the effect for good; recorded, not retried");
    return "done";
  }
  if (entry.attempts >= policy.maxAttempts) {
    const outcome: EffectOutcome = { ...attempt.outcome, error: `gave up after ${entry.attempts} attempts: ${attempt.outcome.error ?? "no answer"}` };
    await outbox.giveUp(entry.id, outcome);
    log.error({ ...where, outcome }, "effect dead: GitHub never took it; see the outbox");
    return "dead";
  }
  const retryAt = new Date(now().getTime() + retryDelayMs(entry.attempts, policy));
  await outbox.retryLater(entry.id, { ...attempt.outcome, error: `will retry: ${attempt.outcome.error ?? "no answer"}` }, retryAt);
  log.warn({ ...where, outcome: attempt.outcome, retry_at: retryAt.toISOString() }, "effect not delivered; will retry");
  return "retry";
}
