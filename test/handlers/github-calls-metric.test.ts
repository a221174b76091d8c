// repol_github_calls_per_event: every HTTP request one delivery's client made, token request included,
// observed once per delivery under its event, with the Octokit repol runs with (octokit-options.ts).
import { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repolApp } from "../../src/app.js";
import { repolOctokit } from "../../src/github/octokit-options.js";
import { registry } from "../../src/handlers/index.js";
import { createMetrics } from "../../src/metrics/create-metrics.js";
import { deploymentPayload, passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { gateDeps, type GateDeps } from "../helpers/gate-deps.js";
import type { GitHubRouter } from "../helpers/github-router.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { sampleValue } from "../helpers/prometheus-text.js";
import { TEST_APP_ID, TestOctokit, testAppPrivateKey } from "../helpers/test-probot.js";

let gate: GateDeps;
let github: GitHubRouter;
beforeEach(async () => {
  gate = await gateDeps();
  github = nockGitHub(scenarioRoutes(passingScenario()));
});
afterEach(async () => {
  resetNock();
  await gate.close();
});

const metrics = createMetrics();
const observed = async () => {
  const text = await metrics.registry.metrics();
  const labels = { event: "deployment_protection_rule" };
  return { sum: sampleValue(text, "repol_github_calls_per_event_sum", labels), count: sampleValue(text, "repol_github_calls_per_event_count", labels) };
};

describe("repol_github_calls_per_event", () => {
  it("observes each delivery's requests: the token, the facts query and the callback cold; two warm", async () => {
    const probot = new Probot({
      appId: TEST_APP_ID,
      privateKey: testAppPrivateKey(),
      secret: "s",
      logLevel: "fatal",
      Octokit: repolOctokit({ timeoutMs: 5_000, retries: 0 }, TestOctokit),
    });
    await probot.load(repolApp(registry, { ...gate.deps, metrics }));
    const before = await observed();

    await probot.receive({ id: "metric-cold", name: "deployment_protection_rule", payload: deploymentPayload() } as never);
    const afterCold = await observed();
    await probot.receive({ id: "metric-warm", name: "deployment_protection_rule", payload: deploymentPayload() } as never);
    const afterWarm = await observed();

    expect(github.requests.map((request) => request.route)).toEqual(["installation-token", "graphql", "callback", "graphql", "callback"]);
    // One client serves both deliveries; each request still names the delivery it was made for.
    expect(github.requests.map((request) => request.headers["x-github-delivery"])).toEqual([
      "metric-cold",
      "metric-cold",
      "metric-cold",
      "metric-warm",
      "metric-warm",
    ]);
    expect({ sum: afterCold.sum - before.sum, count: afterCold.count - before.count }).toEqual({ sum: 3, count: 1 });
    expect({ sum: afterWarm.sum - afterCold.sum, count: afterWarm.count - afterCold.count }).toEqual({ sum: 2, count: 1 });
  });
});
