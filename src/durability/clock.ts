// Time for the durable work's timers (lease renewals, sweeps), passed in so that tests move it by hand
// instead of sleeping. Times stored in the tables are measured by the store's own clock; callers hand
// the tables durations, never instants, so the two can never disagree.

export interface Clock {
  now(): Date;
  /** Runs `work` every `ms` until the returned function is called; never keeps the process alive. */
  every(ms: number, work: () => unknown): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  every(ms, work) {
    const timer = setInterval(() => void work(), ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
