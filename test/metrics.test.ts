import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countGitHubRequests, instrumentEngine, metricsRegistry } from "../src/metrics.js";
import type { PolicyEngine } from "../src/policy/engine-types.js";
import { loadPolicyEngine } from "../src/policy/engine.js";
import { policyWasmPath } from "./helpers/policy-bundle.js";
import { sampleValue } from "./helpers/prometheus-text.js";

// The same adapter src/main.ts uses: metrics.ts declares only the slice of Octokit it hooks into.
const countingRequests: Parameters<typeof ProbotOctokit.plugin>[0] = (octokit) => {
  countGitHubRequests(octokit as unknown as Parameters<typeof countGitHubRequests>[0]);
};
const CountingOctokit = ProbotOctokit.plugin(countingRequests).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

const scrape = () => metricsRegistry.metrics();

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
    await new CountingOctokit({ auth: "token" }).request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: "acme", repo: "shop", pull_number: 12 });
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
    await expect(new CountingOctokit({ auth: "token" }).request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "shop", name: "repol", head_sha: "a".repeat(40) })).rejects.toThrow();
    expect(sampleValue(await scrape(), "repol_github_request_errors_total", labels) - before).toBe(1);
  });

  it("keeps numeric ids out of the route label when a caller passes an expanded path", async () => {
    nock("https://api.github.com").get("/repositories/1296269/issues/77").reply(200, {});
    await new CountingOctokit({ auth: "token" }).request("GET /repositories/1296269/issues/77");
    const text = await scrape();
    expect(sampleValue(text, "repol_github_requests_total", { route: "/repositories/{id}/issues/{id}", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain("1296269");
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

  it("counts an evaluation that throws as an error and rethrows it", async () => {
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
    expect(sampleValue(after, "repol_decisions_total", labels) - sampleValue(before, "repol_decisions_total", labels)).toBe(1);
    const count = (text: string) => sampleValue(text, "repol_policy_evaluation_seconds_count", { policy: "pullrequest" });
    expect(count(after) - count(before)).toBe(1);
  });
});
