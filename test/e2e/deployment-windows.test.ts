// Deployment windows and freezes over HTTP: signed deployment_protection_rule deliveries to the real
// server, GitHub faked on 127.0.0.1, and the time the gate judges at set by hand.
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { callbackBodies, DEPLOY_YAML, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";

const CONFIG = DEPLOY_YAML.replace(
  "max_deployments_per_day: 3",
  `max_deployments_per_day: 3
        deploy_windows:
          - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00", timezone: Europe/Berlin}
        freeze:
          - {from: "2026-12-21T18:00:00+01:00", to: "2027-01-04T08:00:00+01:00", reason: Year-end release freeze}`,
);

let github: FakeGitHub;
let repol: RepolOverHttp;
let clock: ManualClock;

afterEach(async () => {
  await repol.close();
  await github.close();
});

async function startAt(now: string): Promise<void> {
  github = await fakeGitHub(scenarioRoutes(passingScenario({ config: CONFIG })));
  clock = new ManualClock(now);
  repol = await repolOverHttp(github, {}, { clock });
}

/** Delivers a deployment request and returns GitHub's callback and the audit row once both exist. */
async function requestDeployment(id: string) {
  const payload = deploymentPayload((p) => {
    p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
  });
  expect((await repol.deliver("deployment_protection_rule", payload, id)).status).toBe(202);
  const row = await eventually(`delivery ${id} to be answered`, async () => {
    const found = await repol.gate.store.findByDelivery(id);
    return found?.effect.ok ? found : undefined;
  });
  return { row, callback: callbackBodies(github.requests).at(-1) };
}

describe("deployment windows and freezes over HTTP", () => {
  it("rejects a deployment a minute before the window opens, saying when it does, and approves one at the opening", async () => {
    // Monday 30 March 2026, 08:59 in Berlin: the clocks went forward the day before, so 06:59 UTC.
    await startAt("2026-03-30T06:59:00.000Z");
    const early = await requestDeployment("before-the-window");
    expect(early.callback).toMatchObject({ state: "rejected" });
    expect(early.callback?.comment).toContain("the next window opens 2026-03-30 09:00 Europe/Berlin (2026-03-30 07:00 UTC)");
    expect(early.row.violations.map((v) => v.code)).toEqual(["window.closed"]);

    await clock.advance(60_000);
    const onTime = await requestDeployment("at-the-opening");
    expect(onTime.callback).toMatchObject({ state: "approved" });
    expect(onTime.row).toMatchObject({ decision: "allow", violations: [] });
  });

  it("rejects a deployment inside the window during a freeze, with the freeze's reason and end", async () => {
    // Thursday 24 December 2026, 11:00 in Berlin: inside the window, inside the freeze.
    await startAt("2026-12-24T10:00:00.000Z");
    const { callback, row } = await requestDeployment("in-the-freeze");
    expect(callback).toMatchObject({ state: "rejected" });
    expect(callback?.comment).toContain(
      "Deployments to production are frozen: until 2027-01-04 07:00 UTC (2027-01-04T08:00:00+01:00): Year-end release freeze",
    );
    expect(row.violations).toEqual([expect.objectContaining({ code: "freeze.active", rule: "freeze" })]);
    expect(row.input).toMatchObject({ now: "2026-12-24T10:00:00.000Z" });
  });
});
