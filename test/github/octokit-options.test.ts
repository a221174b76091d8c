// repol's Octokit against a GitHub faked on 127.0.0.1 that fails, rate limits or hangs: what is
// retried, how often, and what is left to the outbox. Retry pauses are scaled down, not skipped.
import { afterEach, describe, expect, it } from "vitest";
import { deliverEffect } from "../../src/github/deliver-effect.js";
import type { GitHub } from "../../src/github/github-client.js";
import { probotGitHubOverrides, type OctokitTuning } from "../../src/github/octokit-options.js";
import { INSTALLATION_ID, RUN_ID, passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { gatedGitHub, type GatedGitHub } from "../helpers/gated-github.js";
import { json, type GitHubReply } from "../helpers/github-router.js";
import { probotOnHost } from "../helpers/test-probot.js";
import { closedPort, countingFetch } from "../helpers/closed-port.js";

const TUNING: OctokitTuning = { timeoutMs: 300, retries: 3, retryBaseMs: 5, rateLimitRetries: 2, rateLimitBaseMs: 5 };
const review = { owner: "acme", repo: "widgets", runId: RUN_ID, environment: "production", state: "approved" as const, comment: "ok" };

let github: GatedGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

/** A GitHub whose callback answers `replies` in turn (the last one from then on). */
async function installationClient(replies: GitHubReply[], tuning: OctokitTuning = TUNING): Promise<{ client: GitHub; attempts: () => number }> {
  let calls = 0;
  github = await gatedGitHub([
    ...scenarioRoutes(passingScenario()),
    { name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply: () => replies[Math.min(calls++, replies.length - 1)]! },
  ]);
  return { client: await clientAt(github.host, tuning), attempts: () => calls };
}

/** The installation client a handler gets, for a GitHub (Enterprise) API at `host`. */
async function clientAt(host: string, tuning: OctokitTuning): Promise<GitHub> {
  const probot = probotOnHost(host, probotGitHubOverrides(tuning));
  return (await probot.auth(INSTALLATION_ID)) as GitHub;
}

const problem = (status: number, message: string, headers: Record<string, string> = {}): GitHubReply => ({
  status,
  body: { message, documentation_url: "https://docs.github.com/rest" },
  headers,
});
const resetSoon = () => String(Math.ceil(Date.now() / 1000));

describe("retries GitHub failures that may pass", () => {
  it.each([
    { name: "a 500", first: problem(500, "Server Error") },
    { name: "a 502", first: problem(502, "Bad Gateway") },
    { name: "a 429 with Retry-After", first: problem(429, "Too Many Requests", { "retry-after": "1" }) },
    {
      name: "a secondary rate limit (403)",
      first: problem(403, "You have exceeded a secondary rate limit. Please wait a few minutes.", { "retry-after": "1" }),
    },
    {
      name: "a primary rate limit (403, none remaining)",
      first: problem(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": resetSoon() }),
    },
  ])("makes the callback once after $name", async ({ first }) => {
    const { client, attempts } = await installationClient([first, json(204)]);

    const { outcome } = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(outcome).toEqual({ kind: "deployment_callback", ok: true, status: 204 });
    expect(attempts()).toBe(2);
    expect(github!.calls("callback").map((request) => request.status)).toEqual([first.status, 204]);
  });

  it("retries a request GitHub does not answer in time, each attempt with its own timeout", async () => {
    const { client, attempts } = await installationClient([json(204)]);
    const held = github!.hold("POST", /\/deployment_protection_rule$/);
    const started = Date.now();
    void held.arrived.then(() => setTimeout(() => held.release(), 400));

    const { outcome } = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(outcome).toMatchObject({ ok: true, status: 204 });
    // The first attempt timed out (held), a later one was answered.
    expect(github!.arrivals.filter((request) => request.path.endsWith("/deployment_protection_rule")).length).toBeGreaterThanOrEqual(2);
    expect(attempts()).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("gives up after its retries on a GitHub that keeps failing, leaving the outbox a retryable failure", async () => {
    const { client, attempts } = await installationClient([problem(503, "Service Unavailable")]);

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(attempts()).toBe(4);
    expect(attempt).toMatchObject({ retryable: true, outcome: { ok: false, status: 503 } });
  });

  it("stops waiting out a secondary rate limit after its bounded retries, leaving the outbox a retryable failure", async () => {
    const { client, attempts } = await installationClient([problem(403, "You have exceeded a secondary rate limit.", { "retry-after": "1" })]);

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(attempts()).toBe(3);
    expect(attempt).toMatchObject({ retryable: true, outcome: { ok: false, status: 403 } });
  });

  it("does not wait inline for a primary rate limit that resets much later", async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 3_600);
    const { client, attempts } = await installationClient([
      problem(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }),
    ]);

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(attempts()).toBe(1);
    expect(attempt).toMatchObject({ retryable: true, outcome: { ok: false, status: 403 } });
  });
});

describe("does not retry what would fail again", () => {
  it.each([
    { status: 404, message: "Not Found" },
    { status: 400, message: "Invalid request" },
    { status: 422, message: "No pending deployment requests to approve or reject" },
  ])("sends the callback once on a $status", async ({ status, message }) => {
    const { client, attempts } = await installationClient([problem(status, message)]);

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(attempts()).toBe(1);
    expect(attempt).toMatchObject({ retryable: false, outcome: { ok: false, status } });
  });

  it("records a 422 on the callback as already decided", async () => {
    const { client } = await installationClient([problem(422, "No pending deployment requests to approve or reject")]);
    const { outcome } = await deliverEffect(client, { kind: "deployment_callback", review });
    expect(outcome.error).toContain("already decided");
  });
});

describe("leaves to the outbox what an immediate retry cannot fix", () => {
  it("makes one attempt against a GitHub that refuses the connection, and says it could not connect", async () => {
    const port = await closedPort();
    const counted = countingFetch();
    const client = await clientAt(`127.0.0.1:${port}`, { ...TUNING, fetch: counted.fetch });

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    // The installation token is the first request; refused once, neither it nor the callback is tried again.
    expect(counted.attempts).toEqual(["/app/installations/52345678/access_tokens"]);
    expect(attempt).toEqual({
      retryable: true,
      outcome: { kind: "deployment_callback", ok: false, error: `could not connect to GitHub (ECONNREFUSED 127.0.0.1:${port})` },
    });
  });

  it("retries a token request GitHub does not answer once, and not again for the request that needed the token", async () => {
    const { client } = await installationClient([json(204)], { ...TUNING, retries: 3, timeoutRetries: 1 });
    github!.hold("POST", /\/access_tokens$/);

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(github!.arrivals.filter((request) => request.path.endsWith("/access_tokens"))).toHaveLength(2);
    expect(github!.calls("callback")).toEqual([]);
    expect(attempt).toMatchObject({ retryable: true, outcome: { ok: false, error: `GitHub did not answer within ${TUNING.timeoutMs} ms` } });
    expect(attempt.outcome).not.toHaveProperty("status");
  });

  it("retries a token request GitHub answers 500 its own retries, not four times more", async () => {
    const { client } = await installationClient([json(204)]);
    github!.use({ name: "installation-token", method: "POST", path: /^\/app\/installations\/\d+\/access_tokens$/, reply: () => problem(500, "Server Error") });

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(github!.calls("installation-token").map((request) => request.status)).toEqual([500, 500, 500, 500]);
    expect(attempt).toMatchObject({ retryable: true, outcome: { ok: false, status: 500 } });
  });

  it("makes a request GitHub keeps not answering twice in all by default, each with its own timeout", async () => {
    const { client } = await installationClient([json(204)], { timeoutMs: 200, retryBaseMs: 5, rateLimitBaseMs: 5 });
    github!.hold("POST", /\/deployment_protection_rule$/);

    const attempt = await deliverEffect(client, { kind: "deployment_callback", review });

    expect(github!.arrivals.filter((request) => request.path.endsWith("/deployment_protection_rule"))).toHaveLength(2);
    expect(attempt).toMatchObject({ retryable: true, outcome: { ok: false, error: "GitHub did not answer within 200 ms" } });
  });
});
