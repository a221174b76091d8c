// deploy_windows and freeze in .repol/deploy.yaml: accepted as documented, or refused at the line of
// the mistake with what to write instead.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/policy/load-repo-config.js";
import { isKnownTimeZone } from "../../src/policy/schedule-formats.js";

const fixture = (name: string) => readFileSync(join(fileURLToPath(new URL("../fixtures/repol", import.meta.url)), name));

describe("deploy_windows and freeze in .repol/deploy.yaml", () => {
  it("accepts windows in several zones, up to 24:00, and a freeze with RFC 3339 offsets", () => {
    const result = parseRepoConfig("deploy", fixture("valid/deploy-windows-and-freeze.yaml"));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const rules = result.config.policy.environments.production.rules;
    expect(rules.deploy_windows?.[1]).toEqual({ days: ["fri"], from: "09:00", to: "12:00", timezone: "Europe/Berlin" });
    expect(rules.freeze).toEqual([{ from: "2026-12-21T18:00:00+01:00", to: "2027-01-04T08:00:00+01:00", reason: "Year-end release freeze" }]);
  });

  it("names file, line and column of every bad day, time, zone and freeze, and says what to write", () => {
    const result = parseRepoConfig("deploy", fixture("invalid/deploy-bad-windows-and-freeze.yaml"), "deploy.yaml");
    if (result.ok) throw new Error("expected errors");
    const shown = result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`);
    expect(shown).toEqual([
      'deploy.yaml:7:20 `days[0]` must be one of `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, got "monday"',
      'deploy.yaml:8:19 `deploy_windows[0].from` must be a time of day as HH:MM, from 00:00 to 23:59, got "9:00"',
      'deploy.yaml:9:17 `deploy_windows[0].to` must be a time of day as HH:MM, from 00:00 to 24:00 (24:00 is the end of the day), got "24:30"',
      'deploy.yaml:10:23 `deploy_windows[0].timezone` must be an IANA time zone name known to repol, such as Europe/Berlin, America/New_York or UTC, got "Europe/Berln"',
      'deploy.yaml:18:23 `deploy_windows[2].timezone` must be an IANA time zone name known to repol, such as Europe/Berlin, America/New_York or UTC, got "+01:00"',
      'deploy.yaml:23:19 `freeze[1].from` must be an RFC 3339 date and time with seconds and an offset, such as 2026-12-21T18:00:00+01:00 or 2026-12-21T17:00:00Z, got "2026-02-30T00:00:00Z"',
      'deploy.yaml:24:17 `freeze[1].to` must be an RFC 3339 date and time with seconds and an offset, such as 2026-12-21T18:00:00+01:00 or 2026-12-21T17:00:00Z, got "2027-01-04"',
      'deploy.yaml:25:21 `freeze[1].reason` must be text of 1 to 500 characters, got ""',
    ]);
  });

  it("refuses a window crossing midnight, an empty window and a freeze ending before it starts", () => {
    const text = fixture("invalid/deploy-bad-windows-and-freeze.yaml")
      .toString()
      .replace(
        /days: \[monday, tue\]\n {12}from: "9:00"\n {12}to: "24:30"\n {12}timezone: Europe\/Berln/,
        'days: [mon]\n            from: "09:00"\n            to: "17:00"\n            timezone: UTC',
      )
      .replace('timezone: "+01:00"', "timezone: UTC")
      .replace(/ {10}- from: 2026-02-30[\s\S]*$/, "");
    const result = parseRepoConfig("deploy", text, "deploy.yaml");
    if (result.ok) throw new Error("expected errors");
    expect(result.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      "13:17 `deploy_windows[1]` closes at 02:00, which is not after it opens at 22:00; a window cannot cross midnight: write two, 22:00 to 24:00 and 00:00 to 02:00 on the following days",
      "17:17 `deploy_windows[2]` closes at 10:00, which is not after it opens at 10:00",
      "21:17 `freeze[0]` ends at 2026-12-21T17:00:00Z, which is not after it starts at 2026-12-21T18:00:00+01:00",
    ]);
  });

  it.each([
    ["Europe/Berlin", true],
    ["America/Argentina/Buenos_Aires", true],
    ["UTC", true],
    ["europe/berlin", true],
    ["Europe/Berln", false],
    ["+01:00", false],
    ["", false],
    ["Mars/Olympus_Mons", false],
  ])("knows the time zone %j: %s", (name, known) => {
    expect(isKnownTimeZone(name)).toBe(known);
  });
});
