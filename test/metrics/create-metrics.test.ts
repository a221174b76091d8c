import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { createMetrics } from "../../src/metrics/create-metrics.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";
import { sampleValue } from "../helpers/prometheus-text.js";
import { auditRow } from "../audit/fixtures.js";

const { countDecisions, countGitHubRequests, instrumentEngine, registry } = createMetrics();

// The same adapter src/main.ts uses: metrics.ts declares only the slice of Octokit it hooks into.
const countingRequests: Parameters<typeof ProbotOctokit.plugin>[0] = (octokit) => {
  countGitHubRequests(octokit as unknown as Parameters<typeof countGitHubRequests>[0]);
};
const CountingOctokit = ProbotOctokit.plugin(countingRequests).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

const scrape = () => registry.metrics();

describe("countGitHubRequests", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("counts a request by method, route template and status", async () => {
    nock("https://api.github.com").get("/repos/acme/shop/pulls/12/reviews").reply(200, []);
    const labels = { method: "GET", route: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", status: "200" };
    const before = sampleValue(await scrape(), "repol_github_requests_total", labels);
    await new CountingOctokit({ auth: "token" }).request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      owner: "acme",
      repo: "shop",
      pull_number: 12,
    });
    expect(sampleValue(await scrape(), "repol_github_requests_total", labels) - before).toBe(1);
  });

  it("counts a failed request as an error with GitHub's status, and still throws it", async () => {
    nock("https://api.github.com").get("/repos/acme/shop/contents/.repol%2Fdeploy.yaml").reply(404, { message: "Not Found" });
    const labels = { method: "GET", route: "/repos/{owner}/{repo}/contents/{path}", status: "404" };
    const before = await scrape();
    await expect(
      new CountingOctokit({ auth: "token" }).request("GET /repos/{owner}/{repo}/contents/{path}", { owner: "acme", repo: "shop", path: ".repol/deploy.yaml" }),
    ).rejects.toMatchObject({ status: 404 });
    const after = await scrape();
    expect(sampleValue(after, "repol_github_requests_total", labels) - sampleValue(before, "repol_github_requests_total", labels)).toBe(1);
    expect(sampleValue(after, "repol_github_request_errors_total", labels) - sampleValue(before, "repol_github_request_errors_total", labels)).toBe(1);
  });

  it("counts a request that never got an answer as a network error", async () => {
    nock("https://api.github.com").post("/repos/acme/shop/check-runs").replyWithError("socket hang up");
    const labels = { method: "POST", route: "/repos/{owner}/{repo}/check-runs", status: "network" };
    const before = sampleValue(await scrape(), "repol_github_request_errors_total", labels);
    await expect(
      new CountingOctokit({ auth: "token" }).request("POST /repos/{owner}/{repo}/check-runs", {
        owner: "acme",
        repo: "shop",
        name: "repol",
        head_sha: "a".repeat(40),
      }),
    ).rejects.toThrow();
    expect(sampleValue(await scrape(), "repol_github_request_errors_total", labels) - before).toBe(1);
  });

  it("keeps numeric ids out of the route label when a caller passes an expanded path", async () => {
    nock("https://api.github.com").get("/repositories/1296269/issues/77").reply(200, {});
    await new CountingOctokit({ auth: "token" }).request("GET /repositories/1296269/issues/77");
    const text = await scrape();
    // A route repol does not call goes to one fixed bucket rather than a series of its own.
    expect(sampleValue(text, "repol_github_requests_total", { route: "other", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain("1296269");
  });

  it("labels every page of a paginated list on GitHub Enterprise Server with the route template, no names or SHAs", async () => {
    const ghe = "https://ghe.example.com";
    const sha = "3f786850e387550fdab836ed7e6dc881de23001b";
    nock(ghe)
      .get(`/api/v3/repos/acme/secret-sig/commits/${sha}/check-runs`)
      .query(true)
      .reply(
        200,
        { total_count: 2, check_runs: [{ id: 1 }] },
        {
          link: `<${ghe}/api/v3/repositories/4242/commits/${sha}/check-runs?per_page=1&page=2>; rel="next"`,
        },
      )
      .get(`/api/v3/repositories/4242/commits/${sha}/check-runs`)
      .query(true)
      .reply(200, { total_count: 2, check_runs: [{ id: 2 }] });
    const labels = { method: "GET", route: "/repos/{owner}/{repo}/commits/{ref}/check-runs", status: "200" };
    const before = sampleValue(await scrape(), "repol_github_requests_total", labels);

    const runs = await new CountingOctokit({ auth: "token", baseUrl: `${ghe}/api/v3` }).paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      owner: "acme",
      repo: "secret-sig",
      ref: sha,
      per_page: 1,
    });

    expect(runs).toHaveLength(2);
    const text = await scrape();
    expect(sampleValue(text, "repol_github_requests_total", labels) - before).toBe(2);
    for (const leak of ["secret-sig", sha, "4242", "/api/v3", "ghe.example"]) expect(text).not.toContain(leak);
  });

  it("labels a GraphQL query on GitHub Enterprise Server as /graphql", async () => {
    nock("https://ghe.example.com")
      .post("/api/graphql")
      .reply(200, { data: { viewer: { login: "repol" } } });
    const labels = { method: "POST", route: "/graphql", status: "200" };
    const before = sampleValue(await scrape(), "repol_github_requests_total", labels);
    await new CountingOctokit({ auth: "token", baseUrl: "https://ghe.example.com/api/v3" }).graphql("query { viewer { login } }");
    expect(sampleValue(await scrape(), "repol_github_requests_total", labels) - before).toBe(1);
  });
});

describe("createMetrics", () => {
  it("keeps each set of metrics apart: what one records never shows in another's registry", async () => {
    const [one, other] = [createMetrics(), createMetrics()];
    one.recordEvent("issues", "opened", "handled");
    one.observeGitHubCalls("issues", 3);
    const labels = { event: "issues", action: "opened", outcome: "handled" };
    expect(sampleValue(await one.registry.metrics(), "repol_webhook_events_total", labels)).toBe(1);
    expect(sampleValue(await other.registry.metrics(), "repol_webhook_events_total", labels)).toBe(0);
    expect(sampleValue(await other.registry.metrics(), "repol_github_calls_per_event_count", { event: "issues" })).toBe(0);
  });

  it("reports the effects of the outbox it observes, by status, when scraped", async () => {
    const metrics = createMetrics();
    const store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
    try {
      metrics.observeOutbox(store.outbox!);
      await store.outbox!.recordWithEffect(auditRow({ delivery_id: "gauged" }), { kind: "check_run", installation_id: 1, request: {} }, 60_000);
      expect(sampleValue(await metrics.registry.metrics(), "repol_outbox_effects", { status: "pending" })).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe("observePolicyMemory", () => {
  it("reports the WASM memory of the engine it observes when scraped, and 0 before it observes one", async () => {
    const metrics = createMetrics();
    expect(sampleValue(await metrics.registry.metrics(), "repol_policy_wasm_memory_bytes", {})).toBe(0);
    const engine = await loadPolicyEngine(policyWasmPath());
    metrics.observePolicyMemory(engine);

    expect(sampleValue(await metrics.registry.metrics(), "repol_policy_wasm_memory_bytes", {})).toBe(engine.wasmMemoryBytes());
    expect(engine.wasmMemoryBytes()).toBeGreaterThan(0);
  });
});

describe("instrumentEngine", () => {
  let engine: PolicyEngine;
  beforeAll(async () => {
    engine = await loadPolicyEngine(policyWasmPath());
  });

  it("passes the engine's decision and digest through unchanged", () => {
    const input = { environment: "production" };
    const instrumented = instrumentEngine(engine);
    expect(instrumented.digest).toBe(engine.digest);
    expect(instrumented.evaluate("deploy", input)).toEqual(engine.evaluate("deploy", input));
  });

  it("times an evaluation that throws and rethrows it, leaving the decision to be counted where it is recorded", async () => {
    const failing = instrumentEngine({
      digest: "d",
      evaluate: () => {
        throw new Error("bundle trapped");
      },
    });
    const labels = { policy: "pullrequest", result: "error" };
    const before = await scrape();
    expect(() => failing.evaluate("pullrequest", {})).toThrow("bundle trapped");
    const after = await scrape();
    // The handler turns the failure into an "error" decision and records it; countDecisions counts that row.
    expect(sampleValue(after, "repol_decisions_total", labels) - sampleValue(before, "repol_decisions_total", labels)).toBe(0);
    const count = (text: string) => sampleValue(text, "repol_policy_evaluation_seconds_count", { policy: "pullrequest" });
    expect(count(after) - count(before)).toBe(1);
  });
});

describe("countDecisions", () => {
  let store: AuditStore;
  beforeEach(async () => {
    store = countDecisions(await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" }));
  });
  afterEach(async () => {
    await store.close();
  });

  const decided = async (labels: { policy: string; result: string }) => sampleValue(await scrape(), "repol_decisions_total", labels);

  it("counts a recorded decision once by policy and result, and not again for a redelivery", async () => {
    const labels = { policy: "deploy", result: "error" };
    const before = await decided(labels);
    expect((await store.insert(auditRow({ delivery_id: "d-1", decision: "error" }))).inserted).toBe(true);
    expect((await store.insert(auditRow({ delivery_id: "d-1", decision: "error" }))).inserted).toBe(false);
    expect((await decided(labels)) - before).toBe(1);
  });

  it("counts a decision recorded with its outbox effect once, and not again for a redelivery", async () => {
    const labels = { policy: "pullrequest", result: "deny" };
    const before = await decided(labels);
    const row = auditRow({ delivery_id: "d-2", policy: "pullrequest", decision: "deny" });
    const effect = { kind: "check_run" as const, installation_id: 1, request: {} };
    expect((await store.outbox!.recordWithEffect(row, effect, 60_000)).inserted).toBe(true);
    expect((await store.outbox!.recordWithEffect(row, effect, 60_000)).inserted).toBe(false);
    expect((await decided(labels)) - before).toBe(1);
    // The rest of the store is the store itself.
    expect(await store.outbox!.counts()).toEqual({ pending: 1, done: 0, dead: 0, superseded: 0 });
    expect((await store.findByDelivery("d-2"))?.decision).toBe("deny");
  });
});
