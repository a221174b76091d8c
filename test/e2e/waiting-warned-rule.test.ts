// Only a failure that blocks makes a deployment wait: over signed webhooks against GitHub faked on
// 127.0.0.1, a rule set to `warn` is answered at once, even when `wait.for` names it.
import { afterEach, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { answersAndReports, waitingDeploymentPayload, WAITING_DEPLOY_YAML, waitingWorld, type WaitingWorld } from "../helpers/waiting-scenario.js";

let world: WaitingWorld;
let repol: RepolOverHttp;

afterEach(async () => {
  await repol.close();
  await world.github.close();
});

async function requestWith(config: string) {
  // As in every waiting scenario, e2e is still running and both approvals are given.
  world = await waitingWorld({ config });
  repol = await repolOverHttp(world.github, { WAITING_SWEEP_SECONDS: "900" }, { clock: world.clock });
  const { id } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github));
  return eventually("the request to be recorded and sent", async () => {
    const row = await repol.gate.store.findByDelivery(id);
    return row?.effect.ok ? { id, row } : undefined;
  });
}

it("approves at once, with the warning and without a status report, a deployment whose waited-for rule only warns", async () => {
  const { id, row } = await requestWith(WAITING_DEPLOY_YAML.replace("      wait:", "      enforcement:\n        tests_passed: warn\n      wait:"));

  expect(row).toMatchObject({ decision: "allow", violations: [], warnings: [expect.objectContaining({ code: "tests.failed" })] });
  const { answers, reports } = answersAndReports(world.github.requests);
  expect(reports).toEqual([]);
  expect(answers).toEqual([expect.objectContaining({ state: "approved", comment: expect.stringContaining("e2e") })]);
  expect(await repol.gate.store.waiting!.get(id)).toBeUndefined();
});

it("rejects at once a deployment failing a waited-for rule and a blocking rule outside wait.for", async () => {
  const { id, row } = await requestWith(WAITING_DEPLOY_YAML.replace('allowed_branches: ["main"]', 'allowed_branches: ["release/*"]'));

  expect(row).toMatchObject({ decision: "deny" });
  expect(row.violations.map((violation) => violation.code).sort()).toEqual(["ref.denied", "tests.failed"]);
  const { answers, reports } = answersAndReports(world.github.requests);
  expect(reports).toEqual([]);
  expect(answers).toEqual([expect.objectContaining({ state: "rejected" })]);
  expect(await repol.gate.store.waiting!.get(id)).toBeUndefined();
});
