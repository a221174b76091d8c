// Time for the durable work's timers (lease renewals, sweeps), passed in so that tests move it by hand
// instead of sleeping. Times stored in the tables are measured by the store's own clock; callers hand
// the tables durations, never instants, so the two can never disagree.

export interface Clock {
  now(): Date;
  /** Runs `work` every `ms` until the returned function is called; never keeps the process alive. */
  every(ms: number, work: () => unknown): () => void;
  /** Runs `work` once at `instant` (at once if it has passed) unless the returned function is called first. */
  at(instant: Date, work: () => unknown): () => void;
}

/** setTimeout fires at once for a delay beyond this (about 24.8 days): `at` waits this long at most, then runs early. */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  every(ms, work) {
    const timer = setInterval(() => void work(), ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  at(instant, work) {
    const timer = setTimeout(() => void work(), Math.min(Math.max(0, instant.getTime() - Date.now()), LONGEST_TIMER_MS));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
