// Makes the GitHub calls still waiting in the outbox: those whose first attempt failed, and those a
// previous process had recorded but not made when it stopped. Runs on a timer; never throws out of it.
import { deliverEffect, type EffectAttempt, type EffectRequest } from "../github/deliver-effect.js";
import type { GitHub } from "../github/github-client.js";
import type { Metrics } from "../metrics/create-metrics.js";
import { systemClock, type Clock } from "./clock.js";
import { DEFAULT_LEASE, whileLeased, type HeldLease, type LeasePolicy } from "./lease.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-delay.js";
import type { Log } from "../domain/log.js";
import { settleAttempt } from "./settle-attempt.js";
import { startSweeper } from "./sweeper.js";
import type { Outbox, OutboxEntry } from "./work-store.js";

export interface OutboxWorkerOptions {
  outbox: Outbox;
  /** An Octokit authenticated as the installation the effect belongs to. */
  clientFor(installationId: number | null): Promise<GitHub>;
  log: Log;
  policy?: RetryPolicy;
  lease?: LeasePolicy;
  clock?: Clock;
  /** 0: no timer, effects are looked for only when ticked. */
  intervalMs?: number;
  batchSize?: number;
  /** Reports the outbox's effects by status (repol_outbox_effects). */
  metrics?: Pick<Metrics, "observeOutbox">;
}

export interface OutboxWorker {
  /** Looks for due effects now (and at every interval). */
  tick(): Promise<void>;
  /** Stops the timer and waits for the attempt in progress. */
  stop(): Promise<void>;
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { outbox, log } = options;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const lease = options.lease ?? DEFAULT_LEASE;
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? 10;
  options.metrics?.observeOutbox(outbox);
  let stopped = false;

  const attempt = async (entry: OutboxEntry): Promise<EffectAttempt> => {
    try {
      return await deliverEffect(await options.clientFor(entry.installation_id), entry.request as EffectRequest);
    } catch (error) {
      // No installation token (GitHub unreachable): worth another try like any unanswered call.
      return { outcome: { kind: entry.kind, ok: false, error: `no GitHub client: ${(error as Error).message}` }, retryable: true };
    }
  };

  // Every entry of a claimed batch stays leased until it is settled, also while it waits its turn.
  const runBatch = async (due: OutboxEntry[]) => {
    const unsettled = new Set(due);
    const held: HeldLease = {
      async renew(leaseMs) {
        let all = true;
        for (const entry of unsettled) all = (await outbox.renew(entry.id, entry.attempts, leaseMs)) && all;
        return all;
      },
      onLost: (error) => log.warn({ err: error }, "could not renew the lease of effects being sent"),
    };
    await whileLeased(held, lease, clock, async () => {
      for (const entry of due) {
        // Claimed but not attempted: due again when the lease ends (at once after a restart on SQLite).
        if (stopped) return;
        const result = await attempt(entry);
        unsettled.delete(entry);
        const settled = await settleAttempt(outbox, entry, result, policy, log);
        if (settled === "done")
          log.info(
            { effect: entry.id, kind: entry.kind, delivery: entry.delivery_id, attempts: entry.attempts, outcome: result.outcome },
            "queued effect delivered",
          );
      }
    });
  };

  const runDue = async () => {
    for (;;) {
      if (stopped) return;
      const due = await outbox.claimDue(batchSize, lease.leaseMs);
      await runBatch(due);
      if (due.length < batchSize) return;
    }
  };

  const sweeper = startSweeper(runDue, {
    intervalMs: options.intervalMs ?? 2_000,
    clock,
    onError: (error) => log.error({ err: error }, "outbox sweep failed; will try again"),
  });
  const started = (async () => {
    try {
      const recovered = await outbox.recoverAtStart();
      if (recovered > 0) log.warn({ recovered }, "effects a previous process had not finished will be made now");
    } catch (error) {
      log.error({ err: error }, "outbox recovery failed; leases will expire instead");
    }
    await sweeper.tick();
  })();

  return {
    tick: async () => {
      await started;
      await sweeper.tick();
    },
    async stop() {
      stopped = true;
      await started;
      await sweeper.stop();
    },
  };
}
