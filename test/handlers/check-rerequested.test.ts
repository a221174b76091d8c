// "Re-run" buttons (check_run / check_suite rerequested), redeliveries and concurrent events.
import { describe, expect, it } from "vitest";
import { harnessPerTest } from "../helpers/pull-request-harness.js";
import {
  FORK_SHA,
  HEAD_SHA,
  checkRunsOf,
  existingCheckRun,
  pullOf,
  scenario,
  sentBodies,
  verdictBodies,
  webhook,
  type PullRequestScenario,
} from "../helpers/pull-request-scenario.js";

const harness = harnessPerTest();

/** #42 approved by bob, with our earlier failing run 880001 "repol (main)" on its head commit. */
function approvedWithEarlierRun(): PullRequestScenario {
  const s = scenario();
  pullOf(s, 42).reviews = [["bob", "APPROVED"]];
  s.checkRuns.push(existingCheckRun(880001, "repol (main)"));
  return s;
}

describe("re-run of repol's check", () => {
  it("re-evaluates when our check run is re-requested and updates that same run", async () => {
    const h = await harness(approvedWithEarlierRun());
    await h.deliver("check_run", webhook("check_run.rerequested"), "rerun-1");

    expect(sentBodies(h.github.requests, "create-check-run")).toEqual([]);
    expect(h.github.calls("update-check-run").map((r) => r.path)).toEqual(["/repos/acme/widgets/check-runs/880001"]);
    expect(checkRunsOf(h.s)).toEqual([expect.objectContaining({ id: 880001, conclusion: "success" })]);
    const [row] = await h.rows();
    expect(row).toMatchObject({
      delivery_id: "rerun-1:pr-42",
      event: "check_run",
      action: "rerequested",
      decision: "allow",
      pr_number: 42,
      sha: HEAD_SHA,
      effect: { kind: "check_run", ok: true, check_run_id: 880001 },
    });
  });

  it("re-evaluates the pull requests of the commit when the check suite is re-requested", async () => {
    const h = await harness(approvedWithEarlierRun());
    await h.deliver("check_suite", webhook("check_suite.rerequested"));

    expect(checkRunsOf(h.s)).toEqual([expect.objectContaining({ id: 880001, conclusion: "success" })]);
    expect((await h.rows()).map((r) => [r.event, r.pr_number, r.decision])).toEqual([["check_suite", 42, "allow"]]);
  });

  it("finds a fork's pull request through the commit when GitHub lists none in the webhook", async () => {
    const h = await harness();
    await h.deliver(
      "check_suite",
      webhook("check_suite.rerequested", (p) => {
        p.check_suite.head_sha = FORK_SHA;
        p.check_suite.pull_requests = [];
      }),
    );

    expect(h.github.calls("commit-pulls").map((r) => r.path)).toEqual([`/repos/acme/widgets/commits/${FORK_SHA}/pulls`]);
    expect(sentBodies(h.github.requests, "create-check-run")).toEqual([expect.objectContaining({ name: "repol (main)", head_sha: FORK_SHA })]);
    expect((await h.rows()).map((r) => r.pr_number)).toEqual([44]);
  });

  it.each([
    ["another app's check", "check_run.rerequested.other_app", () => {}],
    ["a check named like ours but owned by another app", "check_run.rerequested", (p: Record<string, any>) => (p.check_run.app.id = 777)],
  ])("ignores a re-run of %s: no GitHub call, no row", async (_label, fixture, change) => {
    const h = await harness(approvedWithEarlierRun());
    await h.deliver("check_run", webhook(fixture, change));
    expect(h.github.requests).toEqual([]);
    expect(await h.rows()).toEqual([]);
  });

  it("leaves a check named after the old base alone once the pull request was retargeted", async () => {
    const s = approvedWithEarlierRun();
    pullOf(s, 42).baseRef = "release/1.2";
    const h = await harness(s);
    await h.deliver("check_run", webhook("check_run.rerequested"));

    expect(sentBodies(h.github.requests, "create-check-run")).toEqual([]);
    expect(sentBodies(h.github.requests, "update-check-run")).toEqual([]);
    expect(await h.rows()).toEqual([]);
  });

  it("fails the re-requested check and records an error when the pull request cannot be read", async () => {
    const s = approvedWithEarlierRun();
    s.fail.pull = 500;
    const h = await harness(s);
    await h.deliver("check_run", webhook("check_run.rerequested"), "rerun-broken");

    const [update] = sentBodies(h.github.requests, "update-check-run");
    expect(update).toMatchObject({ conclusion: "failure", output: { title: "repol could not evaluate this pull request" } });
    expect(update.output.summary).toContain("GitHub answered 500");
    const [row] = await h.rows();
    expect(row).toMatchObject({ delivery_id: "rerun-broken:discovery", decision: "error", pr_number: null, effect: { ok: true, check_run_id: 880001 } });
    expect(row.error).toContain("reading pull request acme/widgets#42");
  });
});

describe("re-run when neither the pull request nor the check can be reached", () => {
  it("keeps the failure for the check in the outbox, to be sent when GitHub takes it", async () => {
    const s = approvedWithEarlierRun();
    s.fail.pull = 500;
    s.fail["update-check-run"] = 502;
    const h = await harness(s);
    await h.deliver("check_run", webhook("check_run.rerequested"), "rerun-down");

    const [row] = await h.rows();
    expect(row).toMatchObject({ delivery_id: "rerun-down:discovery", decision: "error", effect: { kind: "check_run", ok: false } });
    expect(await h.store.outbox!.counts()).toMatchObject({ pending: 1, done: 0 });
  });
});

describe("re-run when the pull request cannot be found", () => {
  it("records an error row without touching any check when a re-run suite's pull request cannot be read", async () => {
    const s = approvedWithEarlierRun();
    s.fail.pull = 500;
    const h = await harness(s);
    await h.deliver("check_suite", webhook("check_suite.rerequested"), "suite-broken");

    expect(sentBodies(h.github.requests, "update-check-run")).toEqual([]);
    expect(await h.rows()).toEqual([
      expect.objectContaining({
        delivery_id: "suite-broken:discovery",
        event: "check_suite",
        decision: "error",
        effect: expect.objectContaining({ kind: "none", ok: false }),
      }),
    ]);
  });
});

describe("redeliveries and concurrent events", () => {
  it("does not update the check again when GitHub redelivers a webhook", async () => {
    const h = await harness();
    await h.deliver("pull_request", webhook("pull_request.opened"), "same-delivery");
    const before = h.github.requests.length;
    await h.deliver("pull_request", webhook("pull_request.opened"), "same-delivery");

    expect(h.github.requests.slice(before).filter((r) => r.method !== "GET" && r.route !== "installation-token")).toEqual([]);
    expect(await h.rows()).toHaveLength(1);
  });

  it("judges a redelivery racing its original only once", async () => {
    const h = await harness();
    await Promise.all([
      h.deliver("pull_request", webhook("pull_request.opened"), "racing"),
      h.deliver("pull_request", webhook("pull_request.opened"), "racing"),
    ]);
    expect(verdictBodies(h.github.requests)).toHaveLength(1);
    expect(await h.rows()).toHaveLength(1);
  });

  it("ends with one check run when a push and a review for the same commit arrive together", async () => {
    const s = scenario();
    pullOf(s, 42).reviews = [["bob", "APPROVED"]];
    const h = await harness(s);
    await Promise.all([
      h.deliver("pull_request", webhook("pull_request.synchronize")),
      h.deliver("pull_request_review", webhook("pull_request_review.submitted.approved")),
    ]);

    expect(sentBodies(h.github.requests, "create-check-run")).toHaveLength(1);
    expect(checkRunsOf(h.s)).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "success" })]);
    const rows = await h.rows();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.effect.check_run_id)).size).toBe(1);
  });
});
