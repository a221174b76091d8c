// How long to wait before trying again: doubling from a base, capped, with jitter so that effects
// which failed together (GitHub down for everyone) do not all come back in the same second.

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one the work is given up. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

/** Effects (callbacks, check runs): a deployment waits on them, so they are tried often and for long. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, baseMs: 5_000, capMs: 15 * 60_000 };
/** Deliveries: a decision that failed to be made (not a fail-closed verdict: those are answers). */
export const DELIVERY_RETRY: RetryPolicy = { maxAttempts: 5, baseMs: 10_000, capMs: 10 * 60_000 };

/** The delay after `attempts` failed attempts (1 = the first failed), between 80 % and 100 % of the doubled base. */
export function retryDelayMs(attempts: number, policy: Pick<RetryPolicy, "baseMs" | "capMs">, random: () => number = Math.random): number {
  const doubled = policy.baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30));
  const capped = Math.min(doubled, policy.capMs);
  return Math.round(capped * (0.8 + 0.2 * random()));
}
