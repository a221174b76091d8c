// Per-rule enforcement end to end: signed webhooks POSTed to the real server, GitHub faked on
// 127.0.0.1. A rule set to `warn` reports its failure without blocking; an unknown rule name in
// `enforcement` is a config error that fails the check at its line and column.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes as deploymentRoutes } from "../helpers/deployment-scenario.js";
import { checkRunsOf, scenario, scenarioRoutes as pullRequestRoutes, webhook, type PullRequestScenario } from "../helpers/pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const AUDIT_TOKEN = "enforcement-audit-token";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), "utf8");

async function deliver(repol: RepolOverHttp, event: string, payload: unknown): Promise<string> {
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, event, payload);
  const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  await response.text();
  expect(response.status).toBe(202);
  await eventually("the answer to reach GitHub and the audit trail", async () => (await repol.gate.store.findByDelivery(delivery.id))?.effect.ok);
  return delivery.id;
}

async function auditRow(repol: RepolOverHttp, deliveryId: string): Promise<Record<string, unknown>> {
  const id = (await repol.gate.store.findByDelivery(deliveryId))!.id;
  const response = await fetch(`${repol.url}/audit/${id}`, { headers: { authorization: `Bearer ${AUDIT_TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("a deployment rule set to warn", () => {
  let github: FakeGitHub;
  let repol: RepolOverHttp;

  beforeAll(async () => {
    github = await fakeGitHub(deploymentRoutes(passingScenario({ config: fixture("deploy-enforcement.yaml") })));
    repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN });
  });

  afterAll(async () => {
    await repol?.close();
    await github?.close();
  });

  it("approves the deployment with the warning in the callback comment, recorded apart from violations", async () => {
    const payload = deploymentPayload((p) => {
      p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    });
    const deliveryId = await deliver(repol, "deployment_protection_rule", payload);

    expect(callbackBodies(github.requests)).toEqual([
      {
        environment_name: "production",
        state: "approved",
        comment:
          "repol approved the deployment to production with 1 warning (rules set to warn do not block):\n- ⚠️ **approvals.insufficient**: 3 approvals required, 2 given (bob, carol)",
      },
    ]);
    const row = await auditRow(repol, deliveryId);
    expect(row).toMatchObject({ decision: "allow", violations: [] });
    expect(row.warnings).toEqual([expect.objectContaining({ code: "approvals.insufficient", rule: "approvals_required", required: 3, actual: 2 })]);
  });
});

describe("pull request rules set to warn", () => {
  let s: PullRequestScenario;
  let github: FakeGitHub;
  let repol: RepolOverHttp;

  beforeAll(async () => {
    s = scenario({ configs: { main: fixture("pullrequest-enforcement.yaml") } });
    github = await fakeGitHub(pullRequestRoutes(s));
    repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN });
  });

  afterAll(async () => {
    await repol?.close();
    await github?.close();
  });

  it("gives a pull request with only a warned rule failing a success check listing the warning", async () => {
    const deliveryId = await deliver(repol, "pull_request", webhook("pull_request.opened"));

    const [run] = checkRunsOf(s);
    expect(run).toMatchObject({ name: "repol (main)", conclusion: "success" });
    expect(run!.output.title).toBe("No blocking rule failed for main; 1 warning: approvals_required");
    expect(run!.output.summary).toContain("| ⚠️ | `approvals_required` | 1 approval required, 0 given |");
    expect(run!.output.summary).toMatch(/\| ✅ \| `signed_off` \|/);
    const row = await auditRow(repol, deliveryId);
    expect(row).toMatchObject({ decision: "allow", violations: [], warnings: [expect.objectContaining({ code: "approvals.insufficient" })] });
  });

  it("fails the check at the file, line and column of an unknown rule name in enforcement", async () => {
    s.configs.main = fixture("pullrequest-enforcement-unknown-rule.yaml");
    const deliveryId = await deliver(repol, "pull_request", webhook("pull_request.synchronize"));

    const [run] = checkRunsOf(s);
    expect(run!.conclusion).toBe("failure");
    expect(run!.output.summary).toContain(".repol/pullrequest.yaml:8:5: unknown key `reviewers` in `enforcement`");
    expect(run!.annotations).toContainEqual(expect.objectContaining({ path: ".repol/pullrequest.yaml", start_line: 8 }));
    expect(await auditRow(repol, deliveryId)).toMatchObject({ decision: "deny", warnings: [] });
  });
});
