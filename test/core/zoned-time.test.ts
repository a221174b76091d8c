// The local clock repol computes with Intl must be the one OPA computes with Go's time zone
// database (time.date, time.clock, time.weekday with a zone), around every kind of daylight-saving
// change. The policy cannot compute it itself: the WASM build does not implement those builtins.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { firstInstantAtOrAfter, wallClockAt } from "../../src/core/zoned-time.js";
import { seededRandom } from "../helpers/branch-pattern-generator.js";
import { evaluateWithOpa } from "../helpers/opa-batch.js";
import { repoRoot } from "../helpers/policy-bundle.js";

const scratch = mkdtempSync(join(tmpdir(), "repol-zones-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MINUTE = 60_000;
const ZONES = ["Europe/Berlin", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "America/St_Johns", "UTC"];
// Three days around each change of 2026: Europe (29 Mar, 25 Oct), US (8 Mar, 1 Nov), southern hemisphere (5 Apr, 4 Oct).
const CHANGES = ["2026-03-28", "2026-10-24", "2026-03-07", "2026-10-31", "2026-04-04", "2026-10-03"];

function instants(): number[] {
  const around = CHANGES.flatMap((day) => Array.from({ length: 3 * 32 }, (_, i) => Date.parse(`${day}T00:00:00Z`) + i * 45 * MINUTE));
  const random = seededRandom(20261129);
  const spread = Array.from({ length: 100 }, () => Date.parse("2020-01-01T00:00:00Z") + random.int(15 * 365 * 1440) * MINUTE + random.int(60) * 1000);
  return [...around, ...spread];
}

const WEEKDAY_NAMES: Record<string, string> = {
  Monday: "mon",
  Tuesday: "tue",
  Wednesday: "wed",
  Thursday: "thu",
  Friday: "fri",
  Saturday: "sat",
  Sunday: "sun",
};

describe("wallClockAt", () => {
  it("gives the date, weekday and minute OPA gives for every zone around each daylight-saving change", () => {
    const cases = ZONES.flatMap((zone) => instants().map((ms) => [ms / 1000, zone] as const));
    // Seconds, multiplied in Rego: nanoseconds since the epoch are past what a JSON double holds exactly.
    const module = `package repol_zones

clocks[i] := [time.date(at), time.clock(at), time.weekday(at)] if {
	some i, c in data.repol_cases
	at := [c[0] * 1000000000, c[1]]
}
`;
    const { clocks } = evaluateWithOpa(module, cases, scratch) as { clocks: Record<string, [[number, number, number], [number, number, number], string]> };
    const mismatches = cases.flatMap(([seconds, zone], i) => {
      const [[y, m, d], [hour, minute], weekday] = clocks[String(i)];
      const expected = { date: `${y}-${pad(m)}-${pad(d)}`, day: WEEKDAY_NAMES[weekday], minute: hour * 60 + minute };
      const { date, day, minute: actual } = wallClockAt(seconds * 1000, zone);
      return date === expected.date && day === expected.day && actual === expected.minute
        ? []
        : [{ zone, at: new Date(seconds * 1000), expected, actual: { date, day, minute: actual } }];
    });
    expect(cases.length).toBeGreaterThan(5_000);
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 120_000);

  it("cannot be left to the policy: the WASM build does not implement time.clock with a zone", async () => {
    writeFileSync(join(scratch, "clock.rego"), 'package zones\n\nclock := time.clock([input.ns, "Europe/Berlin"])\n');
    const bundle = join(scratch, "clock.tar.gz");
    execFileSync(process.execPath, [join(repoRoot, "scripts", "opa.mjs"), "build", "-t", "wasm", "-e", "zones/clock", "-o", bundle, "clock.rego"], {
      cwd: scratch,
    });
    const { fileFromTarGz } = (await import(pathToFileURL(join(repoRoot, "scripts", "build-policies.mjs")).href)) as {
      fileFromTarGz: (gz: Buffer, name: string) => Buffer;
    };
    const policy = await loadPolicy(fileFromTarGz(readFileSync(bundle), "policy.wasm"));
    expect(() => policy.evaluate({ ns: 0 }, "zones/clock")).toThrow(/not implemented: built-in function \d+: time\.clock/);
  }, 60_000);
});

describe("firstInstantAtOrAfter", () => {
  it.each([
    { what: "an ordinary local time", date: "2026-03-30", time: "09:00", zone: "Europe/Berlin", utc: "2026-03-30T07:00:00.000Z" },
    { what: "the same time before the clocks go forward", date: "2026-03-27", time: "09:00", zone: "Europe/Berlin", utc: "2026-03-27T08:00:00.000Z" },
    { what: "a time in the hour skipped in spring: the jump", date: "2026-03-29", time: "02:30", zone: "Europe/Berlin", utc: "2026-03-29T01:00:00.000Z" },
    {
      what: "a time in the hour repeated in autumn: its first occurrence",
      date: "2026-10-25",
      time: "02:30",
      zone: "Europe/Berlin",
      utc: "2026-10-25T00:30:00.000Z",
    },
    { what: "New York's skipped hour", date: "2026-03-08", time: "02:15", zone: "America/New_York", utc: "2026-03-08T07:00:00.000Z" },
    { what: "Lord Howe's half-hour change back", date: "2026-04-05", time: "01:45", zone: "Australia/Lord_Howe", utc: "2026-04-04T14:45:00.000Z" },
  ])("finds $what", ({ date, time, zone, utc }) => {
    const minute = Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
    expect(new Date(firstInstantAtOrAfter(date, minute, zone)).toISOString()).toBe(utc);
  });

  it("returns the first minute whose local time reaches the target, on every day around the changes", () => {
    const problems: string[] = [];
    for (const zone of ZONES) {
      for (const day of CHANGES) {
        for (let offset = 0; offset < 3; offset++) {
          const date = new Date(Date.parse(`${day}T00:00:00Z`) + offset * 1440 * MINUTE).toISOString().slice(0, 10);
          for (let minute = 0; minute < 1440; minute += 30) {
            const found = firstInstantAtOrAfter(date, minute, zone);
            if (!(reaches(found, date, minute, zone) && !reaches(found - MINUTE, date, minute, zone))) problems.push(`${zone} ${date} ${minute}`);
          }
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  }, 60_000);
});

function reaches(instant: number, date: string, minute: number, zone: string): boolean {
  const wall = wallClockAt(instant, zone);
  return wall.date > date || (wall.date === date && wall.minute >= minute);
}

const pad = (n: number) => String(n).padStart(2, "0");
