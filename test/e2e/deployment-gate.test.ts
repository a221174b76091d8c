// The whole App over HTTP: a signed deployment_protection_rule delivery POSTed to the real express
// server, Probot pointed at a GitHub faked on 127.0.0.1 the way GitHub Enterprise Server is configured
// (GHE_HOST / GHE_PROTOCOL), and the audit trail read back through GET /audit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import type { GateDeps } from "../helpers/gate-deps.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes, SHA } from "../helpers/deployment-scenario.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const AUDIT_TOKEN = "e2e-audit-token";
let github: FakeGitHub;
let gate: GateDeps;
let repol: RepolOverHttp;
let repolUrl: string;

beforeAll(async () => {
  github = await fakeGitHub(scenarioRoutes(passingScenario()));
  repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN });
  gate = repol.gate;
  repolUrl = repol.url;
});

afterAll(async () => {
  await repol.close();
  await github.close();
});

afterEach(() => {
  github.requests.length = 0;
});

const payloadForFake = () =>
  deploymentPayload((p) => {
    p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
  });

async function post(headers: Record<string, string>, body: string) {
  const response = await fetch(`${repolUrl}${WEBHOOK_PATH}`, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

describe("the deployment gate over HTTP", () => {
  it("derives the GitHub Enterprise API URL from GHE_HOST and GHE_PROTOCOL", () => {
    expect(gate.deps.settings.githubApiUrl).toBe(github.apiUrl);
    expect(github.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
  });

  it("answers a signed delivery with a callback to GitHub and one audit row", async () => {
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payloadForFake());

    const response = await post(delivery.headers, delivery.body);

    expect(response.status).toBe(202);
    await eventually("the callback to be made and recorded", async () => (await gate.store.findByDelivery(delivery.id))?.effect.ok);
    const tokenRequests = github.calls("installation-token");
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.path).toBe("/app/installations/52345678/access_tokens");
    expect(String(tokenRequests[0]!.headers.authorization)).toMatch(/^bearer \S+\.\S+\.\S+$/i);
    expect(callbackBodies(github.requests)).toEqual([
      { environment_name: "production", state: "approved", comment: "repol approved the deployment to production: every rule passed." },
    ]);
    expect(github.calls("callback")[0]!.headers.authorization).toBe("token ghs_testinstallationtoken");
    expect(github.calls("unmatched")).toEqual([]);

    const audit = await fetch(`${repolUrl}/audit?repository=acme/widgets`, { headers: { authorization: `Bearer ${AUDIT_TOKEN}` } });
    expect(audit.status).toBe(200);
    const { rows } = (await audit.json()) as { rows: Record<string, unknown>[] };
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      delivery_id: delivery.id,
      event: "deployment_protection_rule",
      policy: "deploy",
      decision: "allow",
      environment: "production",
      ref: "refs/heads/main",
      sha: SHA,
      actor: "carol",
      effect: { kind: "deployment_callback", ok: true, status: 204 },
    });
  });

  it.each([
    {
      name: "a signature made with another secret",
      headers: (d: ReturnType<typeof signedDelivery>) => signedDelivery("not-the-secret", "deployment_protection_rule", d.body, d.id).headers,
    },
    {
      name: "a signature of other bytes",
      headers: (d: ReturnType<typeof signedDelivery>) => ({
        ...d.headers,
        "x-hub-signature-256": signedDelivery(TEST_WEBHOOK_SECRET, "x", `${d.body} `).headers["x-hub-signature-256"]!,
      }),
    },
    {
      name: "no signature",
      headers: (d: ReturnType<typeof signedDelivery>) => Object.fromEntries(Object.entries(d.headers).filter(([key]) => key !== "x-hub-signature-256")),
    },
    { name: "a malformed signature", headers: (d: ReturnType<typeof signedDelivery>) => ({ ...d.headers, "x-hub-signature-256": "sha256=zz" }) },
  ])("refuses a delivery with $name: 400, nothing called, nothing written", async ({ headers }) => {
    const before = await gate.store.count({});
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payloadForFake());

    const response = await post(headers(delivery), delivery.body);

    expect(response.status).toBe(400);
    expect(github.requests).toEqual([]);
    expect(await gate.store.count({})).toBe(before);
    expect(await gate.store.findByDelivery(delivery.id)).toBeUndefined();
  });
});
