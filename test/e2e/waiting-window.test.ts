// Deployments that may wait for their deployment window, over signed webhooks against GitHub faked on
// 127.0.0.1: the sweep runs on a clock the test moves, so the window "opens" without anyone waiting.
import { afterEach, describe, expect, it } from "vitest";
import { RUN_ID } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { answersAndReports, waitingDeploymentPayload, WAITING_DEPLOY_YAML, waitingWorld, type WaitingWorld } from "../helpers/waiting-scenario.js";

const WINDOW_DEPLOY_YAML = WAITING_DEPLOY_YAML.replace(
  "tests_passed: true",
  `tests_passed: true
        deploy_windows:
          - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00", timezone: Europe/Berlin}
        freeze:
          - {from: "2026-12-21T18:00:00+01:00", to: "2027-01-04T08:00:00+01:00", reason: Year-end release freeze}`,
).replace("for: [tests_passed, approvals_required]", "for: [deploy_windows, tests_passed]");
const MINUTE = 60_000;

let world: WaitingWorld;
let repol: RepolOverHttp;

afterEach(async () => {
  await repol.close();
  await world.github.close();
});

/** Every check passed and both approvals given: only the window (or a freeze) stands in the way. */
async function startAt(now: string, sweepSeconds = 60): Promise<void> {
  world = await waitingWorld({
    config: WINDOW_DEPLOY_YAML,
    checkRuns: [
      { name: "build", conclusion: "success" },
      { name: "deploy-production", status: "waiting", conclusion: null, runId: RUN_ID },
    ],
  });
  world.clock = new ManualClock(now);
  repol = await repolOverHttp(world.github, { WAITING_SWEEP_SECONDS: String(sweepSeconds) }, { clock: world.clock });
}

/** Delivers the request and returns its audit row once what it sent (a report or an answer) reached GitHub. */
async function requestDeployment() {
  const { id, status } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github));
  expect(status).toBe(202);
  const row = await eventually("the request to be recorded and sent", async () => {
    const found = await repol.gate.store.findByDelivery(id);
    return found?.effect.ok ? found : undefined;
  });
  return { id, row };
}

describe("a deployment that may wait for its deployment window", () => {
  it("requested before the window opens, gets a status report and no decision, and is approved when it opens", async () => {
    // Monday 30 March 2026, 08:30 in Berlin (summer time since the day before): the window opens at 07:00 UTC.
    await startAt("2026-03-30T06:30:00.000Z");
    const { id, row } = await requestDeployment();
    expect(row).toMatchObject({ decision: "pending", effect: { kind: "deployment_status_report" } });
    expect(answersAndReports(world.github.requests)).toEqual({
      answers: [],
      reports: [{ environment_name: "production", comment: expect.stringContaining("waiting for the deployment window to open at 2026-03-30T07:00:00.000Z") }],
    });

    await world.clock.advance(29 * MINUTE);
    expect(answersAndReports(world.github.requests).answers).toEqual([]);
    expect(await repol.gate.store.waiting!.get(id)).toMatchObject({ status: "waiting" });

    await world.clock.advance(MINUTE);
    await eventually("the answer", async () => (await repol.gate.store.findByDelivery(`${id}/answer`))?.effect.ok);
    const { answers, reports } = answersAndReports(world.github.requests);
    expect(answers).toEqual([expect.objectContaining({ state: "approved" })]);
    expect(reports).toHaveLength(1);
    expect(await repol.gate.store.findByDelivery(`${id}/answer`)).toMatchObject({ decision: "allow", violations: [] });
    expect(await repol.gate.store.waiting!.get(id)).toMatchObject({ status: "answered" });
  });

  it("is judged again the moment its window opens, not at the next sweep after it", async () => {
    // Sweeps every 10 minutes from 06:45 UTC: at 06:55 and 07:05; the window opens at 07:00.
    await startAt("2026-03-30T06:45:00.000Z", 600);
    const { id } = await requestDeployment();

    await world.clock.advance(15 * MINUTE);
    const answer = await eventually("the answer", async () => {
      const row = await repol.gate.store.findByDelivery(`${id}/answer`);
      return row?.effect.ok ? row : undefined;
    });
    expect(answer).toMatchObject({ decision: "allow", input: { now: "2026-03-30T07:00:00.000Z" } });
    expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
  });

  it("is rejected at once, without a status report, when the window opens only after max", async () => {
    // Monday 30 March 2026, 07:00 in Berlin: the window opens in two hours, the wait lasts one.
    await startAt("2026-03-30T05:00:00.000Z");
    const { id, row } = await requestDeployment();

    expect(row).toMatchObject({ decision: "deny" });
    expect(row.violations.map((violation) => violation.code)).toEqual(["window.closed", "wait.window_beyond_max"]);
    const { answers, reports } = answersAndReports(world.github.requests);
    expect(reports).toEqual([]);
    expect(answers).toEqual([expect.objectContaining({ state: "rejected" })]);
    expect(answers[0]!.comment).toContain("opens at 2026-03-30T07:00:00.000Z, after the longest wait ends (2026-03-30T06:00:00.000Z)");
    expect(await repol.gate.store.waiting!.get(id)).toBeUndefined();
  });

  it("is rejected at once with the freeze's reason: a freeze is never waited out", async () => {
    // Saturday 26 December 2026: outside the window and inside the freeze; only the window may be waited for.
    await startAt("2026-12-26T10:00:00.000Z");
    const { id, row } = await requestDeployment();

    expect(row).toMatchObject({ decision: "deny" });
    expect(row.violations.map((violation) => violation.code).sort()).toEqual(["freeze.active", "window.closed"]);
    const { answers, reports } = answersAndReports(world.github.requests);
    expect(reports).toEqual([]);
    expect(answers).toEqual([expect.objectContaining({ state: "rejected", comment: expect.stringContaining("Year-end release freeze") })]);
    expect(await repol.gate.store.waiting!.get(id)).toBeUndefined();
  });
});
