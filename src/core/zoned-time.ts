// Wall-clock time in an IANA time zone, from Intl. The policy cannot compute it: the WASM build of
// OPA implements none of the time zone builtins (time.clock, time.weekday, time.date and time.diff
// with a zone all fail with "not implemented"), so repol hands the policy these facts instead.

import { WEEKDAYS, type Weekday } from "../domain/weekday.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface WallClock {
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  day: Weekday;
  /** Minutes since local midnight, seconds dropped: 09:00:59 is minute 540. */
  minute: number;
  /** Local time minus UTC, in minutes (Europe/Berlin in summer: 120). */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall clock of an instant (ms since the epoch) in a zone. Throws a RangeError for an unknown zone. */
export function wallClockAt(instant: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const [year, month, day, hour, minute, second] = ["year", "month", "day", "hour", "minute", "second"].map((k) => Number(parts[k]));
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    day: weekdayOf(localAsUtc),
    minute: hour * 60 + minute,
    offsetMinutes: Math.round((localAsUtc - wholeSecond) / MINUTE),
  };
}

/**
 * The first instant whose local date is `date` and local time is `minute` or later: the local time
 * itself, the earlier of the two when the clocks go back, and the moment the clocks jump when it
 * falls in the hour skipped in spring. `date` is YYYY-MM-DD.
 */
export function firstInstantAtOrAfter(date: string, minute: number, timeZone: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE;
  const offsets = [naive - DAY, naive + DAY].map((t) => wallClockAt(t, timeZone).offsetMinutes);
  const exact = offsets
    .map((offset) => naive - offset * MINUTE)
    .filter((t) => localMs(t, timeZone) === naive)
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact[0];
  // In the skipped hour: search the minute the clocks jump, the first whose local time is past `naive`.
  let lo = naive - Math.max(...offsets) * MINUTE;
  let hi = naive - Math.min(...offsets) * MINUTE;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (localMs(mid, timeZone) >= naive) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The date `days` calendar days after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function weekdayOfDate(date: string): Weekday {
  return weekdayOf(Date.parse(`${date}T00:00:00Z`));
}

function weekdayOf(utcMs: number): Weekday {
  return WEEKDAYS[(new Date(utcMs).getUTCDay() + 6) % 7];
}

function localMs(instant: number, timeZone: string): number {
  const wall = wallClockAt(instant, timeZone);
  return Date.parse(`${wall.date}T00:00:00Z`) + wall.minute * MINUTE;
}
