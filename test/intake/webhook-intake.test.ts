// The webhook route over real HTTP: body cap, signatures (two secrets while rotating), the delivery
// stored before the answer, redeliveries, and concurrent events. GitHub is faked on 127.0.0.1.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WEBHOOK_PATH, type ServerWork } from "../../src/server.js";
import { callbackBodies, deploymentPayload, RUN_ID, passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import type { GateDeps } from "../helpers/gate-deps.js";
import { gatedGitHub, type GatedGitHub } from "../helpers/gated-github.js";
import type { Route } from "../helpers/github-router.js";
import { repolOverHttp } from "../helpers/repol-over-http.js";
import { checkRunsOf, pullOf, scenario, scenarioRoutes as pullRequestRoutes, webhook } from "../helpers/pull-request-scenario.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const CALLBACK = /\/actions\/runs\/\d+\/deployment_protection_rule$/;
const PREVIOUS_SECRET = "repol-secret-being-rotated-out";
const MAX_BODY = 64 * 1024;

interface Running {
  url: string;
  github: GatedGitHub;
  gate: GateDeps;
  work: ServerWork;
  post(headers: Record<string, string>, body: string): Promise<{ status: number; body: any }>;
  deliverDeployment(id?: string): Promise<{ status: number; id: string; body: any }>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function serve(routes: Route[] = scenarioRoutes(passingScenario())): Promise<Running> {
  const github = await gatedGitHub(routes);
  const repol = await repolOverHttp(github, { WEBHOOK_SECRET_PREVIOUS: PREVIOUS_SECRET, WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY) });
  const { url, gate, work } = repol;
  open.push(async () => {
    await repol.close();
    await github.close();
  });
  const post = async (headers: Record<string, string>, body: string) => {
    const response = await fetch(`${url}${WEBHOOK_PATH}`, { method: "POST", headers, body });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  return {
    url,
    github,
    gate,
    work,
    post,
    async deliverDeployment(id) {
      const payload = deploymentPayload((p) => {
        p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
      });
      const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload, id);
      return { ...(await post(delivery.headers, delivery.body)), id: delivery.id };
    },
  };
}

describe("taking a delivery", () => {
  it("stores the delivery with its exact body before answering 202, then processes it from the store", async () => {
    const repol = await serve();
    const held = repol.github.hold("POST", CALLBACK);
    const payload = deploymentPayload((p) => {
      p.deployment_callback_url = `${repol.github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    });
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload);

    const answered = await repol.post(delivery.headers, delivery.body);

    expect(answered).toEqual({ status: 202, body: { status: "accepted", delivery: delivery.id } });
    expect(await repol.gate.store.deliveries!.get(delivery.id)).toMatchObject({
      event: "deployment_protection_rule",
      action: "requested",
      body: delivery.body,
      status: "pending",
    });
    await held.arrived;
    held.release();
    await eventually("the delivery to be done", async () => (await repol.gate.store.deliveries!.get(delivery.id))?.status === "done");
    expect(callbackBodies(repol.github.requests).map((body) => body.state)).toEqual(["approved"]);
  });

  it("answers in JSON without an ETag (nothing caches a webhook answer)", async () => {
    const repol = await serve();
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", { action: "opened" });

    const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });

    expect(response.status).toBe(202);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("etag")).toBeNull();
    expect(await response.json()).toEqual({ status: "accepted", delivery: delivery.id });
  });

  it("answers a redelivery that arrives during processing with 200 and makes no second callback", async () => {
    const repol = await serve();
    const held = repol.github.hold("POST", CALLBACK);
    const first = await repol.deliverDeployment();
    await held.arrived;

    const again = await repol.deliverDeployment(first.id);
    held.release();

    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { status: "already_received", delivery: first.id } });
    await eventually("the delivery to be done", async () => (await repol.gate.store.deliveries!.get(first.id))?.status === "done");
    expect(repol.github.arrivals.filter((request) => CALLBACK.test(request.path))).toHaveLength(1);
    expect(await repol.gate.store.count({ policy: "deploy" })).toBe(1);
  });

  it("answers a redelivery after processing with 200 and leaves the decision alone", async () => {
    const repol = await serve();
    const first = await repol.deliverDeployment();
    await eventually("the delivery to be done", async () => (await repol.gate.store.deliveries!.get(first.id))?.status === "done");

    const again = await repol.deliverDeployment(first.id);

    expect(again.status).toBe(200);
    expect(callbackBodies(repol.github.requests)).toHaveLength(1);
  });

  it("answers 503 and stores nothing once it is draining for shutdown", async () => {
    const repol = await serve();
    repol.work.intake.stopAccepting();

    const refused = await repol.deliverDeployment();

    expect(refused).toMatchObject({ status: 503, body: { error: "shutting_down" } });
    expect(await repol.gate.store.deliveries!.get(refused.id)).toBeUndefined();
  });
});

describe("signatures", () => {
  it.each([
    { name: "the current secret", secret: TEST_WEBHOOK_SECRET },
    { name: "the previous secret, during a rotation", secret: PREVIOUS_SECRET },
  ])("accepts a delivery signed with $name", async ({ secret }) => {
    const repol = await serve();
    const delivery = signedDelivery(secret, "issues", { action: "opened", installation: { id: 1 } });

    expect((await repol.post(delivery.headers, delivery.body)).status).toBe(202);
    expect(await repol.gate.store.deliveries!.get(delivery.id)).toMatchObject({ event: "issues", body: delivery.body });
  });

  it.each([
    { name: "a secret that is neither", change: (d: ReturnType<typeof signedDelivery>) => signedDelivery("someone-else", "issues", d.body, d.id).headers },
    { name: "no signature", change: (d: ReturnType<typeof signedDelivery>) => ({ ...d.headers, "x-hub-signature-256": "" }) },
    { name: "a sha1 signature", change: (d: ReturnType<typeof signedDelivery>) => ({ ...d.headers, "x-hub-signature-256": `sha1=${"0".repeat(40)}` }) },
  ])("refuses a delivery signed with $name: 400, nothing stored", async ({ change }) => {
    const repol = await serve();
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", { action: "opened" });

    const answered = await repol.post(change(delivery), delivery.body);

    expect(answered.status).toBe(400);
    expect(await repol.gate.store.deliveries!.get(delivery.id)).toBeUndefined();
  });

  it.each([
    { body: "{not json", message: "the webhook body is not JSON" },
    { body: "null", message: "the webhook body is not a JSON object" },
    { body: '"requested"', message: "the webhook body is not a JSON object" },
  ])("refuses a correctly signed body $body: 400, nothing stored", async ({ body, message }) => {
    const repol = await serve();
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", body);

    const answered = await repol.post(delivery.headers, delivery.body);

    expect(answered).toMatchObject({ status: 400, body: { message } });
    expect(await repol.gate.store.deliveries!.get(delivery.id)).toBeUndefined();
  });
});

describe("the body size cap", () => {
  /** Sends headers and `sent` bytes of a body, then waits for an answer without sending the rest. */
  function partialPost(url: string, headers: Record<string, string>, sent: number): Promise<{ status: number; body: string; closed: boolean }> {
    return new Promise((resolve, reject) => {
      const target = new URL(`${url}${WEBHOOK_PATH}`);
      const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, closed: res.headers.connection === "close" }));
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(16 * 1024, "a");
      // Never ended: the server must answer without waiting for the rest.
      for (let written = 0; written < sent; written += chunk.length) req.write(chunk);
    });
  }

  it("refuses a body whose Content-Length is over the cap with 413, before reading it", async () => {
    const repol = await serve();
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", { action: "opened" });

    const answered = await partialPost(repol.url, { ...delivery.headers, "content-length": String(MAX_BODY * 100) }, 16 * 1024);

    expect(answered.status).toBe(413);
    expect(JSON.parse(answered.body)).toMatchObject({ error: "payload_too_large" });
    expect(answered.closed).toBe(true);
    expect(await repol.gate.store.deliveries!.get(delivery.id)).toBeUndefined();
  });

  it("aborts a streamed body without Content-Length once it passes the cap", async () => {
    const repol = await serve();
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", { action: "opened" });

    const answered = await partialPost(repol.url, { ...delivery.headers, "transfer-encoding": "chunked" }, MAX_BODY + 32 * 1024);

    expect(answered.status).toBe(413);
    expect(answered.closed).toBe(true);
    expect(await repol.gate.store.deliveries!.get(delivery.id)).toBeUndefined();
  });

  it("takes a body just under the cap", async () => {
    const repol = await serve();
    const filler = "x".repeat(MAX_BODY - 200);
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", { action: "opened", filler });
    expect(Buffer.byteLength(delivery.body)).toBeLessThan(MAX_BODY);

    expect((await repol.post(delivery.headers, delivery.body)).status).toBe(202);
  });
});

describe("concurrent events for one pull request", () => {
  it("ends two reviews delivered at once with one check run, green, and two consistent rows", async () => {
    const s = scenario();
    pullOf(s, 42).reviews = [["bob", "APPROVED"]];
    const repol = await serve(pullRequestRoutes(s));
    const review = () => signedDelivery(TEST_WEBHOOK_SECRET, "pull_request_review", webhook("pull_request_review.submitted.approved"));
    const [a, b] = [review(), review()];

    const answers = await Promise.all([repol.post(a.headers, a.body), repol.post(b.headers, b.body)]);

    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    await eventually("both verdicts on the check run", async () => {
      const rows = await Promise.all([a.id, b.id].map((id) => repol.gate.store.findByDelivery(id)));
      return rows.every((row) => row?.effect.ok);
    });
    expect(repol.github.calls("create-check-run")).toHaveLength(1);
    expect(checkRunsOf(s)).toEqual([expect.objectContaining({ name: "repol (main)", status: "completed", conclusion: "success" })]);
    const rows = await Promise.all([a.id, b.id].map((id) => repol.gate.store.findByDelivery(id)));
    expect(rows.map((row) => [row!.decision, row!.effect.check_run_id])).toEqual([
      ["allow", checkRunsOf(s)[0].id],
      ["allow", checkRunsOf(s)[0].id],
    ]);
  });
});
