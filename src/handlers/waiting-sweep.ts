// The periodic look at every waiting deployment, and the same look once at start (a restart, or
// another replica's deployments whose claim ran out). It is what ends a wait when `max` runs out, when
// a deployment window opens, or when the run was cancelled at GitHub (asked of GitHub here, since
// repol subscribes to no workflow_run event); webhooks only make the answer come sooner.
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
  const sweepOnce = async () => {
    const waiting = deps.store.waiting;
    if (!waiting) return;
    for (const deployment of await waiting.allWaiting()) {
      try {
        await reevaluateWaiting(deps, await clientFor(deployment.installationId), log, deployment.id, { askGitHub: true });
      } catch (error) {
        log.error({ delivery: deployment.id, err: error }, "waiting deployments sweep: could not judge one again; the next sweep tries again");
      }
    }
  };
  // One sweep at a time: a slow GitHub must not pile sweeps up.
  const sweep = () => (running ??= sweepOnce().finally(() => (running = null)));
  const reconciled = sweep().catch((error: unknown) => log.error({ err: error }, "waiting deployments: the sweep at start failed"));
  const stopTimer = intervalMs > 0 ? clock.every(intervalMs, sweep) : () => {};
  return { sweep, reconciled, stop: stopTimer };
}
