// The periodic look at every waiting deployment, and the same look once at start (a restart, or
// another replica's deployments whose claim ran out). It is what ends a wait when `max` runs out, when
// a deployment window opens, or when the run was cancelled at GitHub (asked of GitHub here, since
// repol subscribes to no workflow_run event); webhooks only make the answer come sooner. No event
// announces a window opening, so a window that opens before the next look gets a look of its own then.
import type { Clock } from "../durability/clock.js";
import type { Log } from "../domain/log.js";
import type { GitHub } from "../github/github-client.js";
import { reevaluateWaiting } from "./reevaluate-waiting.js";
import type { WaitDeps } from "./wait-for-evidence.js";

export interface WaitingSweep {
  /** Judges every waiting deployment again, one after the other; resolves when done. */
  sweep(): Promise<void>;
  /** The sweep made at start. */
  readonly reconciled: Promise<void>;
  stop(): void;
}

export interface WaitingSweepOptions {
  deps: WaitDeps;
  clientFor(installationId: number): Promise<GitHub>;
  log: Log;
  /** 0: only when `sweep()` is called (tests). */
  intervalMs: number;
  clock: Clock;
}

export const DEFAULT_WAITING_SWEEP_MS = 60_000;

export function startWaitingSweep({ deps, clientFor, log, intervalMs, clock }: WaitingSweepOptions): WaitingSweep {
  let running: Promise<void> | null = null;
  let cancelWake = () => {};
  let stopped = false;
  const sweepOnce = async () => {
    const waiting = deps.store.waiting;
    if (!waiting) return;
    const openings: Date[] = [];
    for (const deployment of await waiting.allWaiting()) {
      try {
        const opensAt = await reevaluateWaiting(deps, await clientFor(deployment.installationId), log, deployment.id, { askGitHub: true });
        if (opensAt !== null) openings.push(opensAt);
      } catch (error) {
        log.error({ delivery: deployment.id, err: error }, "waiting deployments sweep: could not judge one again; the next sweep tries again");
      }
    }
    wakeForFirstOpening(openings);
  };
  // Only openings before the next regular look: a later one is the business of a later look, which
  // also keeps the timer short and at most one wake pending.
  const wakeForFirstOpening = (openings: readonly Date[]) => {
    const now = clock.now().getTime();
    const first = Math.min(...openings.map((opensAt) => opensAt.getTime()).filter((at) => at > now));
    if (stopped || intervalMs <= 0 || !Number.isFinite(first) || first >= now + intervalMs) return;
    cancelWake();
    // After any look in progress: that one may have judged the deployment before the window opened.
    cancelWake = clock.at(new Date(first), async () => {
      await running;
      await sweep();
    });
  };
  // One sweep at a time: a slow GitHub must not pile sweeps up.
  const sweep = () => (running ??= sweepOnce().finally(() => (running = null)));
  const reconciled = sweep().catch((error: unknown) => log.error({ err: error }, "waiting deployments: the sweep at start failed"));
  const stopTimer = intervalMs > 0 ? clock.every(intervalMs, sweep) : () => {};
  const stop = () => {
    stopped = true;
    stopTimer();
    cancelWake();
  };
  return { sweep, reconciled, stop };
}
