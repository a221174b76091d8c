// The time facts the deploy_windows and freeze rules are judged from, one entry per configured
// window or freeze, in the same order. The policy does the judging (policies/deploy_schedule.rego);
// this only turns time zones and offsets into plain values the WASM build can compare.
import type { DeployWindow, Freeze } from "../policy/load-repo-config.js";
import type { Weekday } from "../domain/weekday.js";
import { policyNow } from "./policy-input-facts.js";
import { addDays, firstInstantAtOrAfter, wallClockAt, weekdayOfDate } from "./zoned-time.js";

export interface WindowFacts {
  timezone: string;
  /** Now, on the window's local clock. */
  local: { date: string; day: Weekday; time: string; minute: number };
  /** When the window next opens after now; null if it does not within two weeks (a zone's clock skips it). */
  next_open: { utc: string; local: string } | null;
}

export interface FreezeFacts {
  /** The freeze's bounds as UTC instants in the one format `now` uses, so the policy compares text. */
  from: string;
  to: string;
}

export interface ScheduleFacts {
  /** The `now` these facts were computed for; the policy ignores them for any other. */
  now: string;
  deploy_windows: WindowFacts[];
  freeze: FreezeFacts[];
}

interface ScheduleRules {
  deploy_windows?: readonly DeployWindow[] | null;
  freeze?: readonly Freeze[] | null;
}

export function scheduleFacts(rules: ScheduleRules | undefined, now: Date): ScheduleFacts {
  return {
    now: policyNow(now),
    deploy_windows: (rules?.deploy_windows ?? []).map((window) => windowFacts(window, now.getTime())),
    freeze: (rules?.freeze ?? []).map((freeze) => ({
      from: new Date(freeze.from).toISOString(),
      to: new Date(freeze.to).toISOString(),
    })),
  };
}

function windowFacts(window: DeployWindow, now: number): WindowFacts {
  const wall = wallClockAt(now, window.timezone);
  const next = nextOpening(window, now, wall.date);
  return {
    timezone: window.timezone,
    local: { date: wall.date, day: wall.day, time: clockText(wall.minute), minute: wall.minute },
    next_open: next === null ? null : { utc: new Date(next).toISOString(), local: localText(next, window.timezone) },
  };
}

/** The first instant after `now` at which the window opens, looking two weeks ahead: one occurrence may fall in a skipped hour. */
function nextOpening(window: DeployWindow, now: number, today: string): number | null {
  const from = minuteOf(window.from);
  const to = minuteOf(window.to);
  for (let ahead = 0; ahead <= 14; ahead++) {
    const date = addDays(today, ahead);
    if (!window.days.includes(weekdayOfDate(date))) continue;
    const opening = firstInstantAtOrAfter(date, from, window.timezone);
    const wall = wallClockAt(opening, window.timezone);
    // A window inside the hour skipped in spring does not open that day.
    if (opening > now && wall.date === date && wall.minute < to) return opening;
  }
  return null;
}

/** "HH:MM" → minutes since midnight; "24:00" is the end of the day. */
export function minuteOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

function clockText(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

function localText(instant: number, timeZone: string): string {
  const wall = wallClockAt(instant, timeZone);
  return `${wall.date} ${clockText(wall.minute)} ${timeZone}`;
}
