// A handler's last step: record the decision together with the GitHub call that carries it (one
// transaction, in the outbox), then make the call at once. If it cannot be made now, the outbox
// worker makes it later, also after a restart; the audit row's effect follows what happened.
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { NewAuditRecord } from "../audit/record.js";
import type { AuditStore } from "../audit/store.js";
import type { Settings } from "../settings.js";
import { deliverEffect, type EffectRequest } from "../github/deliver-effect.js";
import type { GitHub } from "../github/github-client.js";
import { systemClock, type Clock } from "./clock.js";
import { effectTarget } from "./effect-target.js";
import { DEFAULT_LEASE, whileLeased, type LeasePolicy } from "./lease.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-delay.js";
import type { Log } from "../domain/log.js";
import { settleAttempt } from "./settle-attempt.js";

export const QUEUED: Pick<EffectOutcome, "ok" | "error"> = { ok: false, error: "queued: not yet delivered to GitHub" };

export interface RecordedEffect {
  /** False when the delivery was already recorded (nothing sent, nothing written). */
  inserted: boolean;
  /** What the attempt made now achieved (a queued retry shows the failed attempt). */
  outcome: EffectOutcome;
}

export interface RecordDeps {
  store: AuditStore;
  github: GitHub;
  log: Log;
  policy?: RetryPolicy;
  lease?: LeasePolicy;
  clock?: Clock;
  installationId: number | null;
}

export async function recordAndDeliver(deps: RecordDeps, row: NewAuditRecord, request: EffectRequest): Promise<RecordedEffect> {
  const { store, github, log } = deps;
  const outbox = store.outbox;
  if (!outbox) {
    // A stand-in store without an outbox: call first, then record the outcome.
    const { outcome } = await deliverEffect(github, request);
    const { inserted } = await store.insert({ ...row, effect: outcome });
    return { inserted, outcome };
  }
  const lease = deps.lease ?? DEFAULT_LEASE;
  const queued: EffectOutcome = { kind: request.kind, ...QUEUED };
  let recorded: Awaited<ReturnType<NonNullable<typeof outbox>["recordWithEffect"]>>;
  try {
    const effect = { kind: request.kind, installation_id: deps.installationId, request, target: effectTarget(request) };
    recorded = await outbox.recordWithEffect({ ...row, effect: queued }, effect, lease.leaseMs);
  } catch (error) {
    // The store is down: answer GitHub anyway (the verdict is a rejection then, as unreadable facts
    // fail closed) so nothing waits for us, and fail the delivery so it is processed again.
    const { outcome } = await deliverEffect(github, request);
    log.error({ delivery: row.delivery_id, outcome, err: error }, "audit store unavailable: answered GitHub without recording");
    throw error;
  }
  const entry = recorded.effect;
  if (!entry) return { inserted: false, outcome: queued };
  // An older effect for the same target is still being sent: the worker sends this one after it.
  if (entry.leased_until === null) return { inserted: true, outcome: queued };
  const held = {
    renew: (leaseMs: number) => outbox.renew(entry.id, entry.attempts, leaseMs),
    onLost: (error: unknown) => log.warn({ effect: entry.id, err: error }, "could not renew the lease of an effect being sent"),
  };
  const attempt = await whileLeased(held, lease, deps.clock ?? systemClock, () => deliverEffect(github, request));
  await settleAttempt(outbox, entry, attempt, deps.policy ?? DEFAULT_RETRY_POLICY, log);
  return { inserted: true, outcome: attempt.outcome };
}

/** The outbox retry policy the settings describe. */
export function retryPolicyOf(deps: { settings: Pick<Settings, "outboxMaxAttempts" | "outboxRetryBaseMs"> }): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, maxAttempts: deps.settings.outboxMaxAttempts, baseMs: deps.settings.outboxRetryBaseMs };
}
