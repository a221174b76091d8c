// Makes the GitHub calls still waiting in the outbox: those whose first attempt failed, and those a
// previous process had recorded but not made when it stopped. Runs on a timer; never throws out of it.
import { Gauge } from "prom-client";
import type { Outbox, OutboxEntry } from "./work-store.js";
import { deliverEffect, type EffectAttempt, type EffectRequest } from "../github/deliver-effect.js";
import type { GitHub } from "../github/github-client.js";
import { metricsRegistry } from "../metrics.js";
import { EFFECT_LEASE_MS } from "./record-and-deliver.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-delay.js";
import { settleAttempt, type OutboxLog } from "./settle-attempt.js";

export interface OutboxWorkerOptions {
  outbox: Outbox;
  /** An Octokit authenticated as the installation the effect belongs to. */
  clientFor(installationId: number | null): Promise<GitHub>;
  log: OutboxLog;
  policy?: RetryPolicy;
  intervalMs?: number;
  batchSize?: number;
}

export interface OutboxWorker {
  /** Looks for due effects now (and at every interval). */
  tick(): Promise<void>;
  /** Stops the timer and waits for the attempt in progress. */
  stop(): Promise<void>;
}

let observed: Outbox | undefined;
// Read at scrape time, so a dead effect shows up in metrics however long ago it died.
new Gauge({
  name: "repol_outbox_effects",
  help: "GitHub effects (deployment callbacks, check runs) in the outbox, by status: pending, done, dead.",
  labelNames: ["status"] as const,
  registers: [metricsRegistry],
  async collect() {
    if (!observed) return;
    try {
      for (const [status, count] of Object.entries(await observed.counts())) this.set({ status }, count);
    } catch {
      // The store being down is reported by /ready; the gauge keeps its last values.
    }
  },
});

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { outbox, log } = options;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  observed = outbox;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const attempt = async (entry: OutboxEntry): Promise<EffectAttempt> => {
    try {
      return await deliverEffect(await options.clientFor(entry.installation_id), entry.request as EffectRequest);
    } catch (error) {
      // No installation token (GitHub unreachable): worth another try like any unanswered call.
      return { outcome: { kind: entry.kind, ok: false, error: `no GitHub client: ${(error as Error).message}` }, retryable: true };
    }
  };

  const runDue = async () => {
    for (;;) {
      if (stopped) return;
      const due = await outbox.claimDue(options.batchSize ?? 10, EFFECT_LEASE_MS);
      for (const entry of due) {
        // Claimed but not attempted: due again when the lease ends (at once after a restart on SQLite).
        if (stopped) return;
        const result = await attempt(entry);
        const settled = await settleAttempt(outbox, entry, result, policy, log);
        if (settled === "done") log.info({ effect: entry.id, kind: entry.kind, delivery: entry.delivery_id, attempts: entry.attempts, outcome: result.outcome }, "queued effect delivered");
      }
      if (due.length < (options.batchSize ?? 10)) return;
    }
  };

  const tick = () => {
    current = current.then(async () => {
      try {
        await runDue();
      } catch (error) {
        log.error({ err: error }, "outbox sweep failed; will try again");
      }
    });
    return current;
  };

  const started = (async () => {
    try {
      const recovered = await outbox.recoverAtStart();
      if (recovered > 0) log.warn({ recovered }, "effects a previous process had not finished will be made now");
    } catch (error) {
      log.error({ err: error }, "outbox recovery failed; leases will expire instead");
    }
    await tick();
  })();
  const timer = setInterval(() => void tick(), options.intervalMs ?? 2_000);
  timer.unref();

  return {
    tick: async () => {
      await started;
      await tick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await started;
      await current;
    },
  };
}
