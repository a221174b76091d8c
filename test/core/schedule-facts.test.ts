// The time facts handed to the policy for deploy_windows and freeze: the local clock in each window's
// zone and when the window next opens, correct across daylight-saving changes.
import { describe, expect, it } from "vitest";
import { scheduleFacts } from "../../src/core/schedule-facts.js";
import type { DeployWindow } from "../../src/policy/load-repo-config.js";

const weekdays = (from: string, to: string, timezone: string): DeployWindow => ({ days: ["mon", "tue", "wed", "thu", "fri"], from, to, timezone });
const sundays = (from: string, to: string): DeployWindow => ({ days: ["sun"], from, to, timezone: "Europe/Berlin" });

describe("scheduleFacts", () => {
  it.each([
    {
      what: "Berlin's Friday close, the weekend before clocks go forward: Monday 09:00 CEST",
      window: weekdays("09:00", "17:00", "Europe/Berlin"),
      now: "2026-03-27T16:00:00Z",
      local: ["fri", 1020],
      next: ["2026-03-30T07:00:00.000Z", "2026-03-30 09:00 Europe/Berlin"],
    },
    {
      what: "Berlin's Friday close, the weekend clocks go back: Monday 09:00 CET",
      window: weekdays("09:00", "17:00", "Europe/Berlin"),
      now: "2026-10-23T15:00:00Z",
      local: ["fri", 1020],
      next: ["2026-10-26T08:00:00.000Z", "2026-10-26 09:00 Europe/Berlin"],
    },
    {
      what: "New York's Friday close before its clocks go forward: Monday 09:00 EDT",
      window: weekdays("09:00", "17:00", "America/New_York"),
      now: "2026-03-06T22:00:00Z",
      local: ["fri", 1020],
      next: ["2026-03-09T13:00:00.000Z", "2026-03-09 09:00 America/New_York"],
    },
    {
      what: "a window starting in the hour skipped in spring: it opens at the jump",
      window: sundays("02:30", "04:00"),
      now: "2026-03-28T12:00:00Z",
      local: ["sat", 780],
      next: ["2026-03-29T01:00:00.000Z", "2026-03-29 03:00 Europe/Berlin"],
    },
    {
      what: "a window wholly inside the skipped hour: it opens a week later",
      window: sundays("02:00", "02:45"),
      now: "2026-03-28T12:00:00Z",
      local: ["sat", 780],
      next: ["2026-04-05T00:00:00.000Z", "2026-04-05 02:00 Europe/Berlin"],
    },
    {
      what: "a window in the hour repeated in autumn: its first occurrence",
      window: sundays("02:00", "03:00"),
      now: "2026-10-24T12:00:00Z",
      local: ["sat", 840],
      next: ["2026-10-25T00:00:00.000Z", "2026-10-25 02:00 Europe/Berlin"],
    },
    {
      what: "a window later the same day",
      window: weekdays("09:00", "17:00", "Asia/Kolkata"),
      now: "2026-06-01T02:00:00Z",
      local: ["mon", 450],
      next: ["2026-06-01T03:30:00.000Z", "2026-06-01 09:00 Asia/Kolkata"],
    },
  ])("gives the local clock and next opening for $what", ({ window, now, local, next }) => {
    const [facts] = scheduleFacts({ deploy_windows: [window] }, new Date(now)).deploy_windows;
    expect([facts.local.day, facts.local.minute]).toEqual(local);
    expect(facts.next_open).toEqual({ utc: next[0], local: next[1] });
    expect(facts.timezone).toBe(window.timezone);
  });

  it("puts the local date of the window's zone, not UTC's, in the facts", () => {
    const [facts] = scheduleFacts({ deploy_windows: [weekdays("09:00", "17:00", "Pacific/Auckland")] }, new Date("2026-06-05T20:00:00Z")).deploy_windows;
    expect(facts.local).toEqual({ date: "2026-06-06", day: "sat", time: "08:00", minute: 480 });
  });

  it("turns each freeze's bounds into UTC text in the format of now, in the order configured", () => {
    const freeze = [
      { from: "2026-12-21T18:00:00+01:00", to: "2027-01-04T08:00:00+01:00", reason: "Year-end" },
      { from: "2026-07-01T00:00:00.25-04:00", to: "2026-07-02T00:00:00Z", reason: "Migration" },
    ];
    expect(scheduleFacts({ freeze }, new Date("2026-12-24T00:00:00Z"))).toEqual({
      now: "2026-12-24T00:00:00.000Z",
      deploy_windows: [],
      freeze: [
        { from: "2026-12-21T17:00:00.000Z", to: "2027-01-04T07:00:00.000Z" },
        { from: "2026-07-01T04:00:00.250Z", to: "2026-07-02T00:00:00.000Z" },
      ],
    });
  });

  it("gives empty lists for an environment without windows or freezes", () => {
    expect(scheduleFacts(undefined, new Date("2026-01-01T00:00:00Z"))).toEqual({ now: "2026-01-01T00:00:00.000Z", deploy_windows: [], freeze: [] });
  });
});
