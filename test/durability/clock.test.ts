import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../src/durability/clock.js";

const DAY = 24 * 3_600_000;

describe("systemClock.at", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-03-30T06:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs the work once at the instant, not before", () => {
    const work = vi.fn();
    systemClock.at(new Date("2026-03-30T07:00:00Z"), work);
    vi.advanceTimersByTime(3_600_000 - 1);
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(DAY);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("runs at once for an instant that has passed, and never once cancelled", () => {
    const past = vi.fn();
    const cancelled = vi.fn();
    systemClock.at(new Date("2026-03-30T05:00:00Z"), past);
    systemClock.at(new Date("2026-03-30T06:00:01Z"), cancelled)();
    vi.advanceTimersByTime(1_000);
    expect(past).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it("does not fire at once for an instant further away than a timer can wait", () => {
    const work = vi.fn();
    systemClock.at(new Date(Date.now() + 30 * DAY), work);
    vi.advanceTimersByTime(DAY);
    expect(work).not.toHaveBeenCalled();
  });
});
