// Error paths: GitHub failing at each step must end in a failing check (or none) and an error row,
// never in a pass.
import { describe, expect, it } from "vitest";
import { graphqlOperations } from "../helpers/github-graphql.js";
import { harnessPerTest } from "../helpers/pull-request-harness.js";
import {
  checkRunsOf,
  existingCheckRun,
  policyYaml,
  pullOf,
  scenario,
  sentBodies,
  signedOff,
  webhook,
  type PullRequestScenario,
  type RouteName,
} from "../helpers/pull-request-scenario.js";

const harness = harnessPerTest();

/** A pull request that would pass every rule, so only the failure can make it fail. */
function passing(): PullRequestScenario {
  const s = scenario();
  pullOf(s, 42).reviews = [["bob", "APPROVED"]];
  return s;
}

describe("GitHub failing while repol gathers facts", () => {
  it.each([
    // Each fact comes with the one facts query; GitHub failing to produce one puts an error in its answer.
    ["config-file", "/repos/acme/widgets/contents/.repol/pullrequest.yaml"],
    ["reviews", "/repos/acme/widgets/pulls/42/reviews"],
    ["pull-commits", "/repos/acme/widgets/pulls/42/commits"],
    ["pull", "/repos/acme/widgets/pulls/42"],
  ] as [RouteName, string][])("fails the check closed when %s answers 500, and records an error", async (route, what) => {
    const s = passing();
    s.fail[route] = 500;
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened"));

    const [run] = checkRunsOf(h.s);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("repol could not evaluate this pull request");
    expect(run.output.summary).toContain(`repol could not evaluate: GitHub's GraphQL API answered with errors (GitHub answered 500`);
    expect(run.output.summary).toContain("use **Re-run** on this check");
    const [row] = await h.rows();
    expect(row).toMatchObject({ decision: "error", effect: { kind: "check_run", ok: true, check_run_id: run.id } });
    // A failing contents route fails every file the query reads there (the policy, then the rule files).
    const reported = route === "config-file" ? `${what}; GitHub answered 500 resolving /repos/acme/widgets/contents/.repol/policies` : what;
    expect(row.error).toContain(`${reported}) while reading the facts of acme/widgets@3f78685`);
  });
});

describe("GitHub failing to take the check run", () => {
  it("records the refusal, and posts nothing that could pass, when the check run cannot be created", async () => {
    const s = passing();
    s.fail["create-check-run"] = 403;
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened"));

    expect(sentBodies(h.github.requests, "update-check-run")).toEqual([]);
    expect(checkRunsOf(h.s)).toEqual([]);
    const [row] = await h.rows();
    expect(row).toMatchObject({ pr_number: 42, effect: { kind: "check_run", ok: false, status: 403 } });
    expect(row.effect.error).toContain(`creating check run "repol (main)"`);
    expect(row.effect.error).toContain("GitHub answered 403");
    // A refusal is final: nothing is left to retry.
    expect(await h.store.outbox!.counts()).toMatchObject({ pending: 0 });
  });

  it("keeps the verdict in the outbox to retry when the check run cannot be created for now", async () => {
    const s = passing();
    s.fail["create-check-run"] = 502;
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened"));

    const [row] = await h.rows();
    expect(row).toMatchObject({ decision: "allow", effect: { kind: "check_run", ok: false, status: 502 } });
    expect(row.effect.error).toContain(`will retry: GitHub answered 502`);
    expect(await h.store.outbox!.counts()).toMatchObject({ pending: 1, done: 0 });
  });

  it("records the verdict with the failed attempt, and keeps the update in the outbox to retry, when the verdict cannot be posted", async () => {
    const s = passing();
    s.checkRuns.push(existingCheckRun(880001, "repol (main)"));
    s.fail["update-check-run"] = 502;
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened"));

    const [run] = checkRunsOf(h.s);
    // The earlier verdict stays until the update gets through: a red check, never a green one.
    expect(run).toMatchObject({ id: 880001, conclusion: "failure", output: { title: "earlier verdict" } });
    const [row] = await h.rows();
    expect(row).toMatchObject({ decision: "allow", effect: { kind: "check_run", ok: false, status: 502, check_run_id: run.id } });
    expect(row.effect.error).toContain(`will retry: GitHub answered 502`);
    expect(row.effect.error).toContain(`updating check run ${run.id}`);
    expect(row.input).toMatchObject({ workflow_meta: { approvers: ["bob"], signed_off: true } });
    expect(await h.store.outbox!.counts()).toMatchObject({ pending: 1, done: 0 });
  });
});

describe("sign-off on large pull requests", () => {
  it("fails with a clear message when the pull request has more commits than GitHub lists", async () => {
    const s = passing();
    s.configs.main = policyYaml({ signed_off: true });
    const pull = pullOf(s, 42);
    pull.commits = Array.from({ length: 260 }, (_, i) => signedOff("alice@acme.example", `Change ${i}`));
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened"));

    // 100 come with the facts query, then one request per further page, until GitHub stops listing.
    expect(graphqlOperations(h.github.requests)).toEqual(["RepolFacts", "RepolCommitsPage", "RepolCommitsPage"]);
    const [run] = checkRunsOf(h.s);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("has 260 commits but GitHub lists only 250");
    const [row] = await h.rows();
    expect(row.violations).toEqual([expect.objectContaining({ code: "signoff.missing", detail: expect.stringContaining("split the pull request") })]);
  });

  it("passes a pull request of exactly 250 signed-off commits", async () => {
    const s = passing();
    s.configs.main = policyYaml({ signed_off: true });
    pullOf(s, 42).commits = Array.from({ length: 250 }, (_, i) => signedOff("alice@acme.example", `Change ${i}`));
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened"));

    expect(checkRunsOf(h.s)[0]).toMatchObject({ conclusion: "success" });
    expect(checkRunsOf(h.s)[0].output.summary).toContain("all 250 commits are signed off");
  });
});
