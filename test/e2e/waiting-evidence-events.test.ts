// Which webhooks judge a waiting deployment again, over signed webhooks against GitHub faked on
// 127.0.0.1: a check suite completed and a review dismissed do; a check on another commit does not.
import { afterEach, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import {
  answersAndReports,
  checkRunCompleted,
  checkSuiteFor,
  reviewDismissed,
  setCheck,
  waitingDeploymentPayload,
  waitingWorld,
  type WaitingWorld,
} from "../helpers/waiting-scenario.js";

let world: WaitingWorld;
let repol: RepolOverHttp;

afterEach(async () => {
  await repol.close();
  await world.github.close();
});

/** A deployment waiting for e2e, both approvals given; no sweep comes during the test. */
async function waitingDeployment(): Promise<string> {
  world = await waitingWorld();
  repol = await repolOverHttp(world.github, { WAITING_SWEEP_SECONDS: "900" }, { clock: world.clock });
  const { id } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github));
  await eventually("the status report", async () => (await repol.gate.store.findByDelivery(id))?.effect.ok);
  return id;
}

async function handled(event: string, payload: Record<string, unknown>): Promise<void> {
  const { id } = await repol.deliver(event, payload);
  await eventually(`the ${event} event to be handled`, async () => (await repol.gate.store.deliveries!.get(id))?.status === "done");
}

it("is approved when the check suite of its commit completes", async () => {
  const id = await waitingDeployment();
  setCheck(world.scenario, "e2e", "success");
  await handled("check_suite", checkSuiteFor(checkRunCompleted("e2e", "success")));

  expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
  expect(await repol.gate.store.waiting!.get(id)).toMatchObject({ status: "answered" });
});

it("says so in a new status report when an approval it counted is dismissed", async () => {
  const id = await waitingDeployment();
  world.scenario.pulls[0]!.reviews = world.scenario.pulls[0]!.reviews!.map(([login, state, at]) => [login, login === "bob" ? "DISMISSED" : state, at]);
  await handled("pull_request_review", reviewDismissed());
  await eventually("the second report", async () => (await repol.gate.store.findByDelivery(`${id}/report-2`))?.effect.ok);

  const { answers, reports } = answersAndReports(world.github.requests);
  expect(answers).toEqual([]);
  expect(reports).toHaveLength(2);
  expect(reports[1]!.comment).toContain("1 more approval");
  expect(reports[1]!.comment).toContain("checks: e2e (in_progress)");
});

it("is not judged again, and costs no GitHub call, for a check completed on another commit", async () => {
  const id = await waitingDeployment();
  const elsewhere = checkRunCompleted("e2e", "success");
  (elsewhere.check_run as { head_sha: string }).head_sha = "0123456789abcdef0123456789abcdef01234567";
  const before = world.github.requests.length;
  await handled("check_run", elsewhere);

  expect(world.github.requests.slice(before)).toEqual([]);
  expect(await repol.gate.store.waiting!.get(id)).toMatchObject({ status: "waiting", reportsPosted: 1 });
});
