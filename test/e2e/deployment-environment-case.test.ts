// GitHub names one environment `production` or `Production` as the workflow spells it. Signed
// deliveries POSTed to the real server, GitHub faked on 127.0.0.1: every spelling counts against the
// same daily limit and shows up under the same audit filter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { callbackBodies, DEPLOY_YAML, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const AUDIT_TOKEN = "environment-case-audit-token";
let github: FakeGitHub;
let repol: RepolOverHttp;

beforeAll(async () => {
  const config = DEPLOY_YAML.replace("max_deployments_per_day: 3", "max_deployments_per_day: 2");
  github = await fakeGitHub(scenarioRoutes(passingScenario({ config })));
  repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN });
});

afterAll(async () => {
  await repol.close();
  await github.close();
});

/** Delivers a deployment to `environment` and waits until its answer reached GitHub. */
async function deploy(environment: string): Promise<void> {
  const payload = deploymentPayload((p) => {
    p.environment = p.deployment.environment = p.deployment.original_environment = environment;
    p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
  });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload);
  const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  expect(response.status).toBe(202);
  await eventually(`the answer to the deployment to ${environment}`, async () => (await repol.gate.store.findByDelivery(delivery.id))?.effect.ok);
}

describe("environment names in any case", () => {
  it("counts production, production and Production against one limit of 2 and lists all three under ?environment=production", async () => {
    await deploy("production");
    await deploy("production");
    await deploy("Production");

    const callbacks = callbackBodies(github.requests);
    expect(callbacks.map((callback) => [callback.environment_name, callback.state])).toEqual([
      ["production", "approved"],
      ["production", "approved"],
      ["Production", "rejected"],
    ]);
    expect(callbacks[2]!.comment).toContain("This would be deployment 3 to Production today; the limit is 2 per day");

    const audit = await fetch(`${repol.url}/audit?environment=production`, { headers: { authorization: `Bearer ${AUDIT_TOKEN}` } });
    const { rows } = (await audit.json()) as { rows: { environment: string; decision: string }[] };
    // Newest first, each with the name GitHub sent.
    expect(rows.map((row) => [row.environment, row.decision])).toEqual([
      ["Production", "deny"],
      ["production", "allow"],
      ["production", "allow"],
    ]);
  });
});
