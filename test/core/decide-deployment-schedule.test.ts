// Deployment windows, freezes and unfinished checks through decideDeployment and the compiled policy:
// the clock is handed in, the facts are plain data.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideDeployment } from "../../src/core/decide-deployment.js";
import { readDeploymentRequest } from "../../src/webhooks/read-deployment-request.js";
import { facts } from "../helpers/deployment-facts.js";
import { DEPLOY_YAML, deploymentPayload } from "../helpers/deployment-scenario.js";
import { gateDeps, type GateDeps } from "../helpers/gate-deps.js";

const LIMIT = "max_deployments_per_day: 3";

/** DEPLOY_YAML with these lines added to production's rules. */
const withRules = (yaml: string) => DEPLOY_YAML.replace(LIMIT, `${LIMIT}\n${yaml.replace(/^/gm, "        ")}`);

const BERLIN_OFFICE_HOURS = withRules(`deploy_windows:
  - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00", timezone: Europe/Berlin}
  - {days: [sat], from: "10:00", to: "12:00", timezone: America/New_York}`);

let gate: GateDeps;
beforeEach(async () => {
  gate = await gateDeps();
});
afterEach(async () => {
  await gate.close();
});

const request = () => readDeploymentRequest(deploymentPayload() as never, gate.deps.settings.githubApiUrl);
const decideAt = (config: string, now: string, evidence = {}) =>
  decideDeployment(request(), facts({ config, evidence }), gate.deps.engine, { now: new Date(now) });

describe("deploy_windows", () => {
  it.each([
    { when: "Friday 08:59 CET, before clocks go forward", now: "2026-03-27T07:59:00Z", outcome: "deny" },
    { when: "Friday 09:00 CET", now: "2026-03-27T08:00:00Z", outcome: "allow" },
    { when: "Friday 16:59:59 CET", now: "2026-03-27T15:59:59Z", outcome: "allow" },
    { when: "Friday 17:00 CET", now: "2026-03-27T16:00:00Z", outcome: "deny" },
    { when: "Monday 08:59 CEST, after clocks went forward (07:59 CET)", now: "2026-03-30T06:59:00Z", outcome: "deny" },
    { when: "Monday 09:00 CEST (08:00 CET)", now: "2026-03-30T07:00:00Z", outcome: "allow" },
    { when: "Monday 08:30 CET, after clocks went back (09:30 CEST)", now: "2026-10-26T07:30:00Z", outcome: "deny" },
    { when: "Monday 16:30 CET, after clocks went back (17:30 CEST)", now: "2026-10-26T15:30:00Z", outcome: "allow" },
    { when: "Saturday 10:00 EST in New York, the other window", now: "2026-03-07T15:00:00Z", outcome: "allow" },
    { when: "Saturday 10:00 EDT in New York, a week later", now: "2026-03-14T14:00:00Z", outcome: "allow" },
    { when: "Saturday 09:00 EDT in New York", now: "2026-03-14T13:00:00Z", outcome: "deny" },
  ])("$outcome at $when", async ({ now, outcome }) => {
    const verdict = await decideAt(BERLIN_OFFICE_HOURS, now);
    expect(verdict.error).toBeNull();
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.violations.map((v) => v.code)).toEqual(outcome === "deny" ? ["window.closed"] : []);
  });

  it("says when the next window opens, in its zone and in UTC", async () => {
    const verdict = await decideAt(BERLIN_OFFICE_HOURS, "2026-03-27T16:00:00Z");
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        code: "window.closed",
        rule: "deploy_windows",
        now: "2026-03-27T16:00:00.000Z",
        next_open: { utc: "2026-03-28T14:00:00.000Z", local: "2026-03-28 10:00 America/New_York" },
        msg:
          "Deployments to production are allowed only mon, tue, wed, thu, fri 09:00–17:00 Europe/Berlin; or sat 10:00–12:00 America/New_York " +
          "(now 2026-03-27 16:00 UTC); the next window opens 2026-03-28 10:00 America/New_York (2026-03-28 14:00 UTC)",
      }),
    ]);
  });
});

describe("freeze", () => {
  const FROZEN = withRules(`freeze:
  - {from: "2026-12-21T18:00:00+01:00", to: "2027-01-04T08:00:00+01:00", reason: Year-end release freeze}`);

  it.each([
    { now: "2026-12-21T16:59:59.999Z", outcome: "allow" },
    { now: "2026-12-21T17:00:00Z", outcome: "deny" },
    { now: "2027-01-04T06:59:59Z", outcome: "deny" },
    { now: "2027-01-04T07:00:00Z", outcome: "allow" },
  ])("is $outcome at $now (from inclusive, to exclusive)", async ({ now, outcome }) => {
    expect((await decideAt(FROZEN, now)).outcome).toBe(outcome);
  });

  it("rejects with its reason and when it ends", async () => {
    const verdict = await decideAt(FROZEN, "2026-12-24T12:00:00Z");
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        code: "freeze.active",
        rule: "freeze",
        msg: "Deployments to production are frozen: until 2027-01-04 07:00 UTC (2027-01-04T08:00:00+01:00): Year-end release freeze",
      }),
    ]);
  });
});

describe("tests_passed with unfinished checks", () => {
  const REQUIRED = DEPLOY_YAML.replace("tests_passed: true", "tests_passed: true\n        required_checks: [unit, e2e, lint]");

  it("tells checks still running and not yet reported from failed ones", async () => {
    const checkRuns = [
      { name: "unit", status: "completed", conclusion: "success" },
      { name: "e2e", status: "in_progress", conclusion: null },
    ];
    const verdict = await decideAt(REQUIRED, "2026-06-01T10:00:00Z", { checkRuns });
    expect(verdict.input?.workflow_meta.checks).toEqual({ tests: false, pending: ["e2e"], failed: [], missing: ["lint"] });
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        code: "tests.failed",
        pending: ["e2e"],
        failed: [],
        missing: ["lint"],
        msg: "Tests have not finished (still running: e2e; not reported yet: lint); production requires passing tests",
      }),
    ]);
  });

  it("names a failed check, which no waiting can turn into a pass", async () => {
    const checkRuns = [
      { name: "unit", status: "completed", conclusion: "failure" },
      { name: "e2e", status: "queued", conclusion: null },
      { name: "lint", status: "completed", conclusion: "success" },
    ];
    const verdict = await decideAt(REQUIRED, "2026-06-01T10:00:00Z", { checkRuns });
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        code: "tests.failed",
        pending: ["e2e"],
        failed: ["unit"],
        missing: [],
        msg: "Tests did not pass; production requires passing tests",
      }),
    ]);
  });
});
