// A clock a test moves by hand: `now` for the store, `every` and `at` for the workers' timers. Advancing it runs
// each timer that falls due, in time order, and waits for what the timer started (a lease renewal, a
// sweep), so a test can say "three minutes pass" without waiting three minutes or racing the event loop.
import type { Clock } from "../../src/durability/clock.js";

interface Timer {
  /** Infinity: a timer that runs once. */
  everyMs: number;
  next: number;
  work: () => unknown;
}

export class ManualClock implements Clock {
  private ms: number;
  private readonly timers = new Set<Timer>();

  constructor(start = "2025-03-01T12:00:00.000Z") {
    this.ms = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.ms);

  every(ms: number, work: () => unknown): () => void {
    const timer = { everyMs: ms, next: this.ms + ms, work };
    this.timers.add(timer);
    return () => void this.timers.delete(timer);
  }

  at(instant: Date, work: () => unknown): () => void {
    const timer = { everyMs: Infinity, next: Math.max(this.ms, instant.getTime()), work };
    this.timers.add(timer);
    return () => void this.timers.delete(timer);
  }

  /** Moves time forward by `ms`, running every timer due on the way and waiting for its work. */
  async advance(ms: number): Promise<void> {
    const end = this.ms + ms;
    for (;;) {
      const due = [...this.timers].filter((timer) => timer.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.ms = due.next;
      due.next += due.everyMs;
      if (due.everyMs === Infinity) this.timers.delete(due);
      await due.work();
    }
    this.ms = end;
  }

  /** Timers still registered (a worker that stopped leaves none behind). */
  get pendingTimers(): number {
    return this.timers.size;
  }
}
