// Broken and hostile webhook deliveries over HTTP, against the real server: each is refused or
// answered with an error a person can act on, never judged into an approval, and the server keeps
// serving (a good delivery right after is still decided).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { webhook } from "../helpers/pull-request-scenario.js";
import { webhookHeaders } from "../helpers/test-probot.js";
import { ACCEPTED, settle, startRepol, type RepolUnderTest } from "./harness.js";

let repol: RepolUnderTest;

beforeAll(async () => {
  repol = await startRepol({ routes: scenarioRoutes(passingScenario()) });
  repol.github.commit("main", ".repol/deploy.yaml", passingScenario().config!);
});
afterAll(() => repol.close());

/** A staging deployment that every rule allows: proof that the server still decides. */
async function stillDecides(): Promise<void> {
  const probe = await repol.deliver(
    "deployment_protection_rule",
    repol.deploymentPayload((p) => {
      p.environment = "staging";
      p.deployment.environment = "staging";
    }),
  );
  expect(ACCEPTED).toContain(probe.status);
  expect((await repol.rowOf(probe.id)).decision).toBe("allow");
  expect(await repol.serving()).toBe(true);
}

type Headers = Record<string, string>;
const body = () => JSON.stringify(repol.deploymentPayload());
const without = (headers: Headers, name: string) => Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));

describe("deliveries refused before anything is read from them", () => {
  const cases: { name: string; request: () => { body: string | Uint8Array; headers: Headers }; status: number; error: RegExp }[] = [
    {
      name: "no signature",
      request: () => ({ body: body(), headers: without(webhookHeaders("deployment_protection_rule", body()), "x-hub-signature-256") }),
      status: 400,
      error: /x-hub-signature-256/i,
    },
    {
      name: "a signature made with another secret",
      request: () => ({ body: body(), headers: webhookHeaders("deployment_protection_rule", body(), { secret: "guessed-secret" }) }),
      status: 400,
      error: /signature does not match/,
    },
    {
      name: "a signature of other bytes",
      request: () => ({ body: body(), headers: webhookHeaders("deployment_protection_rule", `${body()} `) }),
      status: 400,
      error: /signature does not match/,
    },
    {
      name: "only the legacy SHA-1 signature",
      request: () => {
        const headers = webhookHeaders("deployment_protection_rule", body());
        return {
          body: body(),
          headers: { ...without(headers, "x-hub-signature-256"), "x-hub-signature": headers["x-hub-signature-256"]!.replace("sha256", "sha1") },
        };
      },
      status: 400,
      error: /x-hub-signature-256/i,
    },
    {
      name: "an empty signature",
      request: () => ({ body: body(), headers: { ...webhookHeaders("deployment_protection_rule", body()), "x-hub-signature-256": "" } }),
      status: 400,
      error: /signature/i,
    },
    {
      name: "a truncated body, signed as truncated",
      request: () => ({ body: body().slice(0, 120), headers: webhookHeaders("deployment_protection_rule", body().slice(0, 120)) }),
      status: 400,
      error: /json/i,
    },
    {
      name: "a body that is not JSON",
      request: () => ({
        body: "action=requested&environment=production",
        headers: webhookHeaders("deployment_protection_rule", "action=requested&environment=production"),
      }),
      status: 400,
      error: /json/i,
    },
    { name: "an empty body", request: () => ({ body: "", headers: webhookHeaders("deployment_protection_rule", "") }), status: 400, error: /./ },
    {
      // What GitHub sends when the App's webhook is set to form encoding instead of JSON.
      name: "a form-encoded body",
      request: () => {
        const form = `payload=${encodeURIComponent(body())}`;
        return { body: form, headers: { ...webhookHeaders("deployment_protection_rule", form), "content-type": "application/x-www-form-urlencoded" } };
      },
      status: 400,
      error: /json/i,
    },
    {
      name: "no event name",
      request: () => ({ body: body(), headers: without(webhookHeaders("deployment_protection_rule", body()), "x-github-event") }),
      status: 400,
      error: /x-github-event/i,
    },
    {
      name: "no delivery id",
      request: () => ({ body: body(), headers: without(webhookHeaders("deployment_protection_rule", body()), "x-github-delivery") }),
      status: 400,
      error: /x-github-delivery/i,
    },
  ];

  it.each(cases)("refuses a delivery with $name: $status, nothing asked of GitHub, nothing recorded", async ({ request, status, error }) => {
    const rowsBefore = await repol.gate.store.count({});
    repol.github.requests.length = 0;
    const { body: sent, headers } = request();

    const response = await repol.post(sent, headers);

    expect(response.status).toBe(status);
    expect(response.text).toMatch(error);
    await settle(repol.github, 100);
    expect(repol.github.requests).toEqual([]);
    expect(await repol.gate.store.count({})).toBe(rowsBefore);
  });

  it("refuses a signed body that is valid JSON but not an object, with a 4xx that says so", async () => {
    for (const sent of ["null", '"requested"', "42", "true"]) {
      const response = await repol.post(sent, webhookHeaders("deployment_protection_rule", sent));
      expect(response.status, `${sent} answered ${response.status}: ${response.text}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${sent} answered ${response.status}: ${response.text}`).toBeLessThan(500);
    }
  });

  it("never judges a body whose bytes are not UTF-8, and keeps serving", async () => {
    const text = body();
    const bytes = Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from(text.slice(40))]);
    const response = await repol.post(bytes, webhookHeaders("deployment_protection_rule", bytes));
    expect(response.status).toBeLessThan(500);
    await stillDecides();
  });

  it("still decides a good delivery after all of the above", stillDecides);
});

describe("deliveries repol has nothing to do with", () => {
  it.each([
    ["an event repol never subscribed to", "made_up_event", { action: "happened" }],
    ["an action repol does not handle", "pull_request", webhook("pull_request.opened", (p) => void (p.action = "closed"))],
    ["GitHub's ping", "ping", { zen: "Design for failure.", hook_id: 1 }],
    ["a JSON array", "deployment_protection_rule", []],
  ])("acknowledges %s without asking GitHub anything or recording a row", async (_label, event, payload) => {
    const rowsBefore = await repol.gate.store.count({});
    repol.github.requests.length = 0;
    const { status } = await repol.deliver(event, payload);
    expect(ACCEPTED).toContain(status);
    await settle(repol.github);
    expect(repol.github.requests).toEqual([]);
    expect(await repol.gate.store.count({})).toBe(rowsBefore);
  });
});

describe("deployment deliveries missing what a decision needs", () => {
  const cases: { name: string; change: (p: Record<string, any>) => void; error: RegExp; callback: "none" | "rejected" }[] = [
    { name: "no deployment_callback_url", change: (p) => delete p.deployment_callback_url, error: /no deployment_callback_url/, callback: "none" },
    {
      name: "no environment",
      change: (p) => {
        delete p.environment;
        delete p.deployment.environment;
      },
      error: /lacks environment/,
      callback: "none",
    },
    { name: "no deployment", change: (p) => delete p.deployment, error: /lacks sha, ref/, callback: "rejected" },
    { name: "a numeric SHA", change: (p) => void (p.deployment.sha = 42), error: /lacks sha/, callback: "rejected" },
    {
      name: "an object for environment",
      change: (p) => {
        p.environment = { name: "production" };
        p.deployment.environment = ["production"];
      },
      error: /lacks environment/,
      callback: "none",
    },
    { name: "no repository", change: (p) => delete p.repository, error: /another repository|lacks .*repository/, callback: "none" },
    { name: "no installation", change: (p) => delete p.installation, error: /401|installation/, callback: "none" },
  ];

  it.each(cases)("records an error for a delivery with $name and never approves it", async ({ change, error, callback }) => {
    repol.github.requests.length = 0;
    const { id, status } = await repol.deliver("deployment_protection_rule", repol.deploymentPayload(change));

    expect(status).toBeLessThan(500);
    const row = await repol.rowOf(id);
    expect(row.decision).toBe("error");
    expect(row.error).toMatch(error);
    if (callback === "rejected") await repol.callbacks(1);
    await settle(repol.github, 100);
    const answered = repol.github.calls("callback").map((request) => (request.body as { state: string }).state);
    expect(answered).toEqual(callback === "none" ? [] : ["rejected"]);
  });

  it("decides a delivery carrying a deeply nested field it does not read", async () => {
    const nested = `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`;
    const text = JSON.stringify(
      repol.deploymentPayload((p) => {
        p.environment = "staging";
        p.deployment.environment = "staging";
      }),
    ).replace(/}$/, `,"extra":${nested}}`);
    const { id, status } = await repol.deliver("deployment_protection_rule", text);
    expect(ACCEPTED).toContain(status);
    expect((await repol.rowOf(id)).decision).toBe("allow");
  });

  it("still decides a good delivery after all of the above", stillDecides);
});

describe("pull request deliveries missing what a verdict needs", () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ["pull_request without pull_request", "pull_request", webhook("pull_request.opened", (p) => delete p.pull_request)],
    ["pull_request without a head SHA", "pull_request", webhook("pull_request.opened", (p) => delete p.pull_request.head.sha)],
    ["pull_request without repository", "pull_request", webhook("pull_request.opened", (p) => delete p.repository)],
    ["pull_request_review without pull_request", "pull_request_review", webhook("pull_request_review.submitted.approved", (p) => delete p.pull_request)],
    ["check_run.rerequested without check_run", "check_run", webhook("check_run.rerequested", (p) => delete p.check_run)],
  ];

  it.each(cases)("answers %s with a clear error or not at all, and posts no check", async (_label, event, payload) => {
    repol.github.requests.length = 0;
    const { status, text } = await repol.deliver(event, payload);

    if (!ACCEPTED.includes(status)) {
      expect(status, text).toBe(400);
      expect(text).toMatch(/webhook lacks/);
    }
    await settle(repol.github, 100);
    expect(repol.github.requests.filter((request) => request.path.includes("/check-runs"))).toEqual([]);
  });

  it("still decides a good delivery after all of the above", stillDecides);
});
