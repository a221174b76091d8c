// The timer behind both work tables: picks up what is due (retries, overflow, a crash's leftovers) now
// and at every interval, one sweep at a time, and never throws out of the timer.
import type { Clock } from "./clock.js";

export interface Sweeper {
  /** Sweeps now (after any sweep in progress); resolves when done. */
  tick(): Promise<void>;
  /** Stops the timer and waits for the sweep in progress. */
  stop(): Promise<void>;
}

export interface SweeperOptions {
  /** 0: no timer; sweeps run only when ticked (tests, or a caller that ticks on its own events). */
  intervalMs: number;
  clock: Clock;
  onError(error: unknown): void;
}

export function startSweeper(sweep: () => Promise<void>, options: SweeperOptions): Sweeper {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    current = current.then(async () => {
      if (stopped) return;
      try {
        await sweep();
      } catch (error) {
        options.onError(error);
      }
    });
    return current;
  };
  const cancel = options.intervalMs > 0 ? options.clock.every(options.intervalMs, tick) : () => undefined;
  return {
    tick,
    async stop() {
      stopped = true;
      cancel();
      await current;
    },
  };
}
