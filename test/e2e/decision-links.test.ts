// With PUBLIC_URL set, what repol writes on GitHub links to the decision on its audit page: the check
// run's "Details" and the deployment callback's comment. The link names the delivery; signed in, it
// leads to the decision page of the row that delivery recorded.
import { afterEach, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import * as deployment from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { pullOf, scenario, scenarioRoutes, verdictBodies, webhook } from "../helpers/pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";
import { signIn } from "../http/ui/ui-fixture.js";

const PUBLIC_URL = "https://repol.example.com/tools/repol";
const TOKEN = "t".repeat(40);
let github: FakeGitHub;
let repol: RepolOverHttp;

afterEach(async () => {
  await repol.close();
  await github.close();
});

it("links a pull request's check run to its decision page, which the link opens once signed in", async () => {
  const s = scenario();
  pullOf(s, 42).reviews = [["bob", "APPROVED"]];
  github = await fakeGitHub(scenarioRoutes(s));
  repol = await repolOverHttp(github, { PUBLIC_URL, AUDIT_API_TOKEN: TOKEN });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "pull_request", webhook("pull_request.opened"), "link-1");
  expect((await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(202);
  await eventually("the check run to be written", async () => verdictBodies(github.requests).length === 1);

  const [body] = verdictBodies(github.requests);
  expect(body!.details_url).toBe(`${PUBLIC_URL}/ui/deliveries/link-1`);
  const row = (await repol.gate.store.findByDelivery("link-1"))!;
  const { cookie } = await signIn(repol.url, TOKEN);
  const opened = await fetch(`${repol.url}/ui/deliveries/link-1`, { redirect: "manual", headers: { cookie: cookie! } });
  expect(opened.status).toBe(303);
  expect(opened.headers.get("location")).toBe(`/ui/decisions/${row.id}`);
  const missing = await fetch(`${repol.url}/ui/deliveries/no-such-delivery`, { redirect: "manual", headers: { cookie: cookie! } });
  expect(missing.status).toBe(404);
});

it("writes no link when PUBLIC_URL is not set", async () => {
  const s = scenario();
  github = await fakeGitHub(scenarioRoutes(s));
  repol = await repolOverHttp(github);
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "pull_request", webhook("pull_request.opened"), "link-2");
  expect((await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(202);
  await eventually("the check run to be written", async () => verdictBodies(github.requests).length === 1);
  expect(verdictBodies(github.requests)[0]).not.toHaveProperty("details_url");
});

it("ends a deployment's callback comment with the link to its decision", async () => {
  github = await fakeGitHub(deployment.scenarioRoutes(deployment.passingScenario()));
  repol = await repolOverHttp(github, { PUBLIC_URL, AUDIT_API_TOKEN: TOKEN });
  const payload = deployment.deploymentPayload((p) => {
    p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${deployment.RUN_ID}/deployment_protection_rule`;
  });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload, "link-3");
  expect((await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(202);
  await eventually("the callback to be sent", async () => deployment.callbackBodies(github.requests).length === 1);
  const [callback] = deployment.callbackBodies(github.requests);
  expect(callback).toMatchObject({ state: "approved" });
  expect(callback!.comment.endsWith(`\nDetails: ${PUBLIC_URL}/ui/deliveries/link-3`)).toBe(true);
});
