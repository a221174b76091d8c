// Deployments that wait for evidence, over signed webhooks against GitHub faked on 127.0.0.1, with the
// clock moved by hand: a status report and no decision while evidence is missing, then one answer.
import { afterEach, describe, expect, it } from "vitest";
import { RUN_ID, SHA } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import {
  answersAndReports,
  checkRunCompleted,
  reviewSubmitted,
  setCheck,
  waitingDeploymentPayload,
  WAITING_DEPLOY_YAML,
  waitingWorld,
  type WaitingWorld,
} from "../helpers/waiting-scenario.js";

let world: WaitingWorld;
let repol: RepolOverHttp;

async function start(change: Parameters<typeof waitingWorld>[0] = {}) {
  world = await waitingWorld(change);
  repol = await repolOverHttp(world.github, { WAITING_SWEEP_SECONDS: "900" }, { clock: world.clock });
}

afterEach(async () => {
  await repol.close();
  await world.github.close();
});

async function requestDeployment(runId = RUN_ID): Promise<string> {
  const { id, status } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github, runId));
  expect(status).toBe(202);
  await eventually("the status report to be posted", async () => (await repol.gate.store.findByDelivery(id))?.effect.ok);
  return id;
}

const answered = (id: string) => eventually("the answer to be recorded", async () => (await repol.gate.store.findByDelivery(`${id}/answer`))?.effect.ok);

describe("a deployment waiting for evidence", () => {
  it("gets a status report and no decision while a check runs, then is approved when the check completes", async () => {
    await start();
    const id = await requestDeployment();

    expect(answersAndReports(world.github.requests)).toEqual({
      answers: [],
      reports: [{ environment_name: "production", comment: expect.stringContaining("waiting for checks: e2e (in_progress)") }],
    });
    expect(await repol.gate.store.findByDelivery(id)).toMatchObject({ decision: "pending", effect: { kind: "deployment_status_report", ok: true } });

    setCheck(world.scenario, "e2e", "success");
    await repol.deliver("check_run", checkRunCompleted("e2e", "success"));
    await answered(id);

    const { answers, reports } = answersAndReports(world.github.requests);
    expect(answers).toEqual([{ environment_name: "production", state: "approved", comment: expect.stringContaining("approved") }]);
    expect(reports).toHaveLength(1);
    expect(await repol.gate.store.findByDelivery(`${id}/answer`)).toMatchObject({ decision: "allow" });
    await eventually("the wait to end", async () => (await repol.gate.store.waiting!.get(id))?.status === "answered");
  });

  it("waiting for an approval, is approved when the pull request review arrives", async () => {
    const withOneApproval = {
      number: 42,
      author: "alice",
      state: "closed" as const,
      merged: true,
      reviews: [["bob", "APPROVED", 1]] as [string, "APPROVED", number][],
    };
    await start({ checkRuns: [{ name: "build", conclusion: "success" }], pulls: [withOneApproval] });
    const id = await requestDeployment();
    expect(answersAndReports(world.github.requests).reports[0]!.comment).toContain("waiting for 1 more approval");

    world.scenario.pulls[0]!.reviews!.push(["carol", "APPROVED", 2]);
    await repol.deliver("pull_request_review", reviewSubmitted());
    await answered(id);

    expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
  });

  it("is rejected at once when a check it waits for concludes failure", async () => {
    await start();
    const id = await requestDeployment();

    setCheck(world.scenario, "e2e", "failure");
    await repol.deliver("check_run", checkRunCompleted("e2e", "failure"));
    await answered(id);

    const [answer] = answersAndReports(world.github.requests).answers;
    expect(answer).toMatchObject({ state: "rejected" });
    expect(answer!.comment).toContain("e2e (failure)");
    expect(await repol.gate.store.findByDelivery(`${id}/answer`)).toMatchObject({ decision: "deny" });
  });

  it("is rejected when max runs out, saying what was still missing", async () => {
    await start();
    const id = await requestDeployment();

    await world.clock.advance(45 * 60_000);
    expect(answersAndReports(world.github.requests).answers).toEqual([]);
    await world.clock.advance(15 * 60_000);
    await answered(id);

    const [answer] = answersAndReports(world.github.requests).answers;
    expect(answer).toMatchObject({ state: "rejected" });
    expect(answer!.comment).toContain("still checks: e2e (in_progress)");
    expect(answersAndReports(world.github.requests).reports).toHaveLength(1);
  });

  it("stops waiting, without an answer, when GitHub no longer lists the run as waiting (cancelled)", async () => {
    await start();
    const id = await requestDeployment();

    world.runWaits.value = false;
    await world.clock.advance(15 * 60_000);

    expect(await repol.gate.store.waiting!.get(id)).toMatchObject({ status: "ended", endReason: expect.stringContaining("cancelled") });
    expect(answersAndReports(world.github.requests).answers).toEqual([]);
  });

  it("posts another status report only when what it waits for changes", async () => {
    await start();
    world.scenario.checkRuns.push({ name: "lint", status: "in_progress", conclusion: null });
    const id = await requestDeployment();
    await repol.deliver("check_run", checkRunCompleted("build", "success"));
    setCheck(world.scenario, "lint", "success");
    await repol.deliver("check_run", checkRunCompleted("lint", "success"));
    await eventually("the second report", async () => (await repol.gate.store.findByDelivery(`${id}/report-2`))?.effect.ok);

    const comments = answersAndReports(world.github.requests).reports.map((report) => report.comment);
    expect(comments).toEqual([
      expect.stringContaining("waiting for checks: e2e (in_progress), lint (in_progress)."),
      expect.stringContaining("waiting for checks: e2e (in_progress)."),
    ]);
    expect(await repol.gate.store.findByDelivery(`${id}/report-2`)).toMatchObject({ decision: "pending" });
  });

  it("keeps waiting, unanswered, when GitHub fails while it is judged again", async () => {
    await start();
    const id = await requestDeployment();
    setCheck(world.scenario, "e2e", "success");
    world.scenario.fail["check-runs"] = 500;
    const failed = await repol.deliver("check_run", checkRunCompleted("e2e", "success"));
    await eventually("the event to be handled", async () => (await repol.gate.store.deliveries!.get(failed.id))?.status === "done");
    expect(world.github.readByGraphQL("check-runs").at(-1)?.status).toBe(500);
    expect(answersAndReports(world.github.requests).answers).toEqual([]);
    expect(await repol.gate.store.waiting!.get(id)).toMatchObject({ status: "waiting" });

    delete world.scenario.fail["check-runs"];
    await repol.deliver("check_run", checkRunCompleted("e2e", "success"));
    await answered(id);
    expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
  });

  it("stops waiting when GitHub answers a status report with 422 (decided already)", async () => {
    await start();
    world.scenario.callbackStatus = 422;
    const { id } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github));
    await eventually("the wait to end", async () => (await repol.gate.store.waiting!.get(id))?.status === "ended");
    expect((await repol.gate.store.waiting!.get(id))?.endReason).toContain("422");
  });

  it("released together by one event, still respects the daily limit", async () => {
    const oncePerDay = WAITING_DEPLOY_YAML.replace(
      "tests_passed: true",
      "tests_passed: true\n        required_checks: [build, e2e]\n        max_deployments_per_day: 1",
    );
    await start({ config: oncePerDay });
    const first = await requestDeployment();
    const second = await requestDeployment(RUN_ID + 1);

    setCheck(world.scenario, "e2e", "success");
    await repol.deliver("check_run", checkRunCompleted("e2e", "success"));
    await answered(first);
    await answered(second);

    const decisions = [await repol.gate.store.findByDelivery(`${first}/answer`), await repol.gate.store.findByDelivery(`${second}/answer`)];
    expect(decisions.map((row) => row?.decision).sort()).toEqual(["allow", "deny"]);
    expect(decisions.find((row) => row?.decision === "deny")?.violations).toEqual([expect.objectContaining({ code: "rate_limit.exceeded" })]);
  });

  it("waiting for a commit status, is approved when the status event arrives", async () => {
    await start({ checkRuns: [{ name: "build", conclusion: "success" }], statuses: [{ context: "ci/jenkins", state: "pending" }] });
    const id = await requestDeployment();
    expect(answersAndReports(world.github.requests).reports[0]!.comment).toContain("waiting for checks: ci/jenkins (pending)");

    world.scenario.statuses = [{ context: "ci/jenkins", state: "success" }];
    await repol.deliver("status", statusEvent("ci/jenkins", "success"));
    await answered(id);

    expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
  });
});

it("posts at most 9 status reports, leaving GitHub's 10th comment to the decision", async () => {
  const names = Array.from({ length: 11 }, (_, i) => `suite-${i + 1}`);
  await start({ checkRuns: names.map((name) => ({ name, status: "in_progress" as const, conclusion: null })) });
  const id = await requestDeployment();
  for (const name of names) {
    setCheck(world.scenario, name, "success");
    const { id: delivery } = await repol.deliver("check_run", checkRunCompleted(name, "success"));
    await eventually(`${name} to be handled`, async () => (await repol.gate.store.deliveries!.get(delivery))?.status === "done");
  }
  await answered(id);

  const { answers, reports } = answersAndReports(world.github.requests);
  expect(reports).toHaveLength(9);
  expect(answers).toEqual([expect.objectContaining({ state: "approved" })]);
});

/** The fields of GitHub's `status` event that repol reads, on the deployed commit. */
function statusEvent(context: string, state: string) {
  const { repository, installation } = reviewSubmitted() as { repository: unknown; installation: unknown };
  return { id: 1, sha: SHA, name: "acme/widgets", context, state, repository, installation, branches: [], commit: { sha: SHA } };
}
