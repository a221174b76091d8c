// A repository that brings its gitpoli files (test/fixtures/repol/gitpoli) is judged by them end to
// end: signed webhooks POSTed to the real server, GitHub faked on 127.0.0.1, the answer read back from
// what reached GitHub (deployment callback, check run) and from the audit trail.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import * as deployment from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import type { Route } from "../helpers/github-router.js";
import * as pulls from "../helpers/pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const gitpoliFile = (name: string) => readFileSync(new URL(`../fixtures/repol/gitpoli/${name}`, import.meta.url), "utf8");

interface Running {
  github: FakeGitHub;
  repol: RepolOverHttp;
}

/** repol against a fake GitHub serving `routes`, up for the tests of the enclosing describe. */
function repolServing(routes: () => Route[]): () => Running {
  let running: Running | undefined;
  beforeAll(async () => {
    const github = await fakeGitHub(routes());
    running = { github, repol: await repolOverHttp(github) };
  });
  afterAll(async () => {
    await running?.repol.close();
    await running?.github.close();
  });
  return () => running!;
}

/** POSTs a signed delivery and waits until its answer reached GitHub; returns the audit row. */
async function deliver({ repol }: Running, event: string, payload: unknown) {
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, event, payload);
  const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  await response.text();
  expect(response.status).toBe(202);
  return eventually(`the answer to ${event} ${delivery.id}`, async () => {
    const row = await repol.gate.store.findByDelivery(delivery.id);
    return row?.effect.ok ? row : null;
  });
}

describe("a gitpoli deploy.yaml over HTTP", () => {
  const running = repolServing(() => deployment.scenarioRoutes(deployment.passingScenario({ config: gitpoliFile("deploy.yaml") })));
  const callbackUrl = () => `${running().github.apiUrl}/repos/acme/widgets/actions/runs/${deployment.RUN_ID}/deployment_protection_rule`;

  const deploymentTo = (environment: string) =>
    deployment.deploymentPayload((p) => {
      p.environment = environment;
      p.deployment.environment = environment;
      p.deployment.original_environment = environment;
      p.deployment_callback_url = callbackUrl();
    });
  const lastCallback = () => deployment.callbackBodies(running().github.requests).at(-1);

  it("approves a deployment meeting its production rules, judging the file as written", async () => {
    const row = await deliver(running(), "deployment_protection_rule", deploymentTo("production"));

    expect(lastCallback()).toEqual({
      environment_name: "production",
      state: "approved",
      comment: "repol approved the deployment to production: every rule passed.",
    });
    expect(row.decision).toBe("allow");
    const policy = (row.input as { repo_policy: { policy: Record<string, unknown> } }).repo_policy.policy;
    expect(policy).toMatchObject({ version: "1.0.0", metadata: { description: "Release gates for the widgets service", last_updated: "2026-02-10" } });
  });

  it("rejects a deployment breaking a production rule, naming the rule", async () => {
    const row = await deliver(
      running(),
      "deployment_protection_rule",
      deployment.deploymentPayload((p) => {
        p.deployment.ref = "feature/x";
        p.deployment_callback_url = callbackUrl();
      }),
    );

    expect(lastCallback()).toMatchObject({ environment_name: "production", state: "rejected" });
    expect(row.violations.map((v) => v.code)).toEqual(["ref.denied"]);
  });

  it("reads max_deployments_per_day: 0 as no daily limit, deployment after deployment", async () => {
    for (let n = 1; n <= 3; n++) {
      const row = await deliver(running(), "deployment_protection_rule", deploymentTo("staging"));
      expect(lastCallback()).toMatchObject({ environment_name: "staging", state: "approved" });
      expect([row.decision, row.violations]).toEqual(["allow", []]);
    }
  });

  it("does not gate an environment with enabled: false, although its rules would fail", async () => {
    const row = await deliver(running(), "deployment_protection_rule", deploymentTo("sandbox"));

    expect(lastCallback()).toMatchObject({ environment_name: "sandbox", state: "approved" });
    expect([row.decision, row.violations]).toEqual(["allow", []]);
  });
});

describe("a gitpoli pullrequest.yaml over HTTP", () => {
  const s = pulls.scenario({ configs: { main: gitpoliFile("pullrequest.yaml") } });
  const running = repolServing(() => pulls.scenarioRoutes(s));

  it("fails the check until the pull request has its approval, then passes it", async () => {
    const opened = await deliver(running(), "pull_request", pulls.webhook("pull_request.opened"));
    expect(opened.violations.map((v) => v.code)).toEqual(["approvals.insufficient"]);
    expect(pulls.checkRunsOf(s)).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "failure" })]);
    expect(pulls.checkRunsOf(s)[0]!.output.summary).toContain("1 approval required, 0 given");

    s.pulls[0]!.reviews = [["bob", "APPROVED"]];
    const approved = await deliver(running(), "pull_request_review", pulls.webhook("pull_request_review.submitted.approved"));

    expect(approved.decision).toBe("allow");
    expect(pulls.checkRunsOf(s)).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "success" })]);
    const policy = (approved.input as { repo_policy: { policy: Record<string, unknown> } }).repo_policy.policy;
    expect(policy).toMatchObject({ version: "1.0", metadata: { description: "Branch flow and review rules" } });
  });
});

describe("a gitpoli pullrequest.yaml without rules over HTTP", () => {
  const s = pulls.scenario({ configs: { main: 'policy:\n  version: "1.0"\n' } });
  const running = repolServing(() => pulls.scenarioRoutes(s));

  it("fails the check instead of passing a pull request nothing judged", async () => {
    const row = await deliver(running(), "pull_request", pulls.webhook("pull_request.opened"));

    expect(row.decision).toBe("deny");
    expect(row.violations.map((v) => v.code)).toEqual(["config.invalid"]);
    const [run] = pulls.checkRunsOf(s);
    expect(run).toMatchObject({ name: "repol (main)", conclusion: "failure" });
    expect(`${run!.output.summary}\n${run!.output.text}`).toContain("missing required key `rules` in `policy`");
  });
});
