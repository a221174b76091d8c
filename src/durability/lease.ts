// A claimed row (a delivery being decided, an effect being sent) belongs to its worker until its lease
// ends; after that a sweep, here or in another replica, may take it again. A worker still on the row
// renews the lease while it works, so however long GitHub makes a decision take (timeouts, retries,
// rate-limit waits), the lease never runs out under it and the work is never done twice at once.
import type { Clock } from "./clock.js";

export interface LeasePolicy {
  /** How long a claim lasts without renewal: how soon work left by a dead worker is taken again. */
  leaseMs: number;
  /** How often a live worker renews it; well under `leaseMs`, so a late renewal still lands in time. */
  renewEveryMs: number;
}

export const DEFAULT_LEASE: LeasePolicy = { leaseMs: 2 * 60_000, renewEveryMs: 20_000 };

export interface HeldLease {
  /** Pushes the lease end to `leaseMs` from now; false when the row is no longer held by this claim. */
  renew(leaseMs: number): Promise<boolean>;
  /** Says that a renewal failed or found the claim gone; the work carries on either way. */
  onLost(error: unknown): void;
}

/** Runs `work` while renewing its lease; waits for a renewal in progress before returning. */
export async function whileLeased<T>(lease: HeldLease, policy: LeasePolicy, clock: Clock, work: () => Promise<T>): Promise<T> {
  let renewing: Promise<unknown> = Promise.resolve();
  let lost = false;
  const renew = async () => {
    const held = await lease.renew(policy.leaseMs);
    if (!held && !lost) lease.onLost(new Error("the lease is held by another claim now"));
    lost ||= !held;
  };
  const stop = clock.every(policy.renewEveryMs, () => (renewing = renewing.then(renew).catch((error: unknown) => lease.onLost(error))));
  try {
    return await work();
  } finally {
    stop();
    await renewing;
  }
}
