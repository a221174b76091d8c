// decideDeployment through its facts seam: snapshots given as plain data, no HTTP at all.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideDeployment } from "../../src/core/decide-deployment.js";
import { qualifyDeploymentRef, startOfUtcDay } from "../../src/core/deployment-ref.js";
import { approvedDeployments } from "../../src/handlers/repository-facts.js";
import { readDeploymentRequest } from "../../src/webhooks/read-deployment-request.js";
import { facts, pull } from "../helpers/deployment-facts.js";
import { gateDeps, type GateDeps } from "../helpers/gate-deps.js";
import { DEPLOY_YAML, deploymentPayload, RUN_ID, SHA, type Payload } from "../helpers/deployment-scenario.js";

let gate: GateDeps;
beforeEach(async () => {
  gate = await gateDeps();
});
afterEach(async () => {
  await gate.close();
});

const request = (change?: (payload: Payload) => void) => readDeploymentRequest(deploymentPayload(change) as never, gate.deps.settings.githubApiUrl);

describe("qualifyDeploymentRef", () => {
  it.each([
    { ref: "main", kind: "branch", expected: "refs/heads/main" },
    { ref: "release/1.2", kind: "branch", expected: "refs/heads/release/1.2" },
    { ref: "v1.0.0", kind: "tag", expected: "refs/tags/v1.0.0" },
    { ref: "v2", kind: "both", expected: "refs/tags/v2" },
    { ref: "deleted-branch", kind: "neither", expected: "deleted-branch" },
    { ref: "refs/heads/main", kind: "tag", expected: "refs/heads/main" },
    { ref: "refs/tags/v1", kind: "branch", expected: "refs/tags/v1" },
    { ref: SHA, kind: "branch", expected: SHA },
  ] as const)("turns $ref ($kind) into $expected", ({ ref, kind, expected }) => {
    expect(qualifyDeploymentRef(ref, kind)).toBe(expected);
  });
});

describe("startOfUtcDay", () => {
  it.each([
    { now: "2025-03-09T23:59:59.999Z", day: "2025-03-09T00:00:00.000Z" },
    { now: "2025-03-10T00:00:00.000Z", day: "2025-03-10T00:00:00.000Z" },
    { now: "2025-03-10T01:30:00+05:00", day: "2025-03-09T00:00:00.000Z" },
  ])("puts $now on the UTC day starting $day", ({ now, day }) => {
    expect(startOfUtcDay(new Date(now))).toBe(day);
  });
});

describe("decideDeployment", () => {
  it("approves on facts alone, with no Octokit involved", async () => {
    const verdict = await decideDeployment(request(), facts(), gate.deps.engine);
    expect(verdict).toMatchObject({ outcome: "allow", violations: [], ref: "refs/heads/main", configSha: "blob", error: null });
    expect(verdict.request.callback).toEqual({ ok: true, owner: "acme", repo: "widgets", runId: 7654321098 });
  });

  it("asks no GitHub question when the callback URL is not GitHub's", async () => {
    const calls: string[] = [];
    const verdict = await decideDeployment(
      request((p) => void (p.deployment_callback_url = "https://evil.example.com/x")),
      facts({}, calls),
      gate.deps.engine,
    );
    expect(verdict.outcome).toBe("error");
    expect(calls).toEqual([]);
  });

  it("counts no author of any pull request behind the commit as an approver", async () => {
    const verdict = await decideDeployment(
      request(),
      facts({ evidence: { pulls: [pull(1, "alice", ["bob", "carol"]), pull(2, "bob", ["alice", "dave"])] } }),
      gate.deps.engine,
    );
    expect((verdict.input as { workflow_meta: { approvers: string[] } }).workflow_meta.approvers).toEqual(["carol", "dave"]);
    expect(verdict.outcome).toBe("allow");
  });

  it("requires every pull request behind the commit to be signed off, and says which is not", async () => {
    const unsigned = { sha: "b".repeat(40), commit: { message: "x", author: { email: "bob@example.com" } } };
    const verdict = await decideDeployment(
      request(),
      facts({ evidence: { pulls: [pull(1, "alice", ["carol", "dave"]), pull(2, "bob", ["carol", "dave"], [unsigned])] } }),
      gate.deps.engine,
    );
    expect(verdict.outcome).toBe("deny");
    expect(verdict.violations).toEqual([expect.objectContaining({ code: "signoff.missing", detail: expect.stringMatching(/^#2: 1 of 1 commits lack/) })]);
  });

  it("approves when only a rule set to warn fails, keeping the explained warning apart", async () => {
    const config = DEPLOY_YAML.replace("        max_deployments_per_day: 3\n", "        max_deployments_per_day: 3\n      enforcement: { signed_off: warn }\n");
    expect(config).not.toBe(DEPLOY_YAML);
    const unsigned = { sha: "b".repeat(40), commit: { message: "x", author: { email: "bob@example.com" } } };
    const verdict = await decideDeployment(
      request(),
      facts({ config, evidence: { pulls: [pull(1, "alice", ["carol", "dave"], [unsigned])] } }),
      gate.deps.engine,
    );
    expect(verdict.outcome).toBe("allow");
    expect(verdict.violations).toEqual([]);
    expect(verdict.warnings).toEqual([
      expect.objectContaining({ code: "signoff.missing", rule: "signed_off", detail: expect.stringMatching(/^1 of 1 commits lack .*bob@example.com/) }),
    ]);
  });

  it("narrows the tests fact to required_checks from the environment's rules", async () => {
    const config = DEPLOY_YAML.replace("tests_passed: true", "tests_passed: true\n        required_checks: [unit-tests]");
    // "ci" passing would pass every check; the gated job of the waiting run cannot finish, so it is not reported.
    const gated = { name: "unit-tests", status: "in_progress", conclusion: null, html_url: `https://github.com/acme/widgets/actions/runs/${RUN_ID}/job/1` };
    const verdict = await decideDeployment(
      request(),
      facts({ config, evidence: { checkRuns: [{ name: "ci", status: "completed", conclusion: "success" }, gated] } }),
      gate.deps.engine,
    );
    expect(verdict.violations).toEqual([expect.objectContaining({ code: "tests.failed", detail: "required but not reported: unit-tests" })]);
  });

  it.each(["production", "Production", "PRODUCTION"])("applies production's required_checks to a deployment to %s", async (environment) => {
    const config = DEPLOY_YAML.replace("tests_passed: true", "tests_passed: true\n        required_checks: [unit-tests]");
    const checkRuns = [
      { name: "unit-tests", status: "completed", conclusion: "success" },
      { name: "lint", status: "completed", conclusion: "failure" },
    ];
    const deployTo = request((p) => void (p.environment = p.deployment.environment = environment));
    const verdict = await decideDeployment(deployTo, facts({ config, evidence: { checkRuns } }), gate.deps.engine);
    // Only the required check counts: the failing lint run must not reject the deployment.
    expect(verdict).toMatchObject({ outcome: "allow", violations: [] });
  });

  it("counts today's deployments for the day it is told is today", async () => {
    await gate.insertAt(new Date("2025-06-01T08:00:00Z"), { decision: "allow" });
    await gate.insertAt(new Date("2025-06-02T08:00:00Z"), { decision: "allow" });
    const counted = facts({
      evidence: async (since) => ({ approvedDeploymentsToday: await approvedDeployments(gate.store, "acme/widgets", { environment: "production", since }) }),
    });
    const verdict = await decideDeployment(request(), counted, gate.deps.engine, { now: new Date("2025-06-01T23:00:00Z") });
    // The window is "since midnight" with no end: live, nothing is later than now; a replay of a past day is approximate.
    expect((verdict.input as { workflow_meta: { deployments_today: number } }).workflow_meta.deployments_today).toBe(3);
  });

  it.each([
    { name: "pull_requests that is not a list", change: (p: Payload) => void (p.pull_requests = "x"), decision: "allow" },
    { name: "null entries in pull_requests", change: (p: Payload) => void (p.pull_requests = [null, { number: -1 }]), decision: "allow" },
    { name: "no repository owner", change: (p: Payload) => void delete p.repository.owner, decision: "error" },
    { name: "no environment", change: (p: Payload) => void (delete p.environment, delete p.deployment.environment), decision: "error" },
    { name: "no deployment at all", change: (p: Payload) => void delete p.deployment, decision: "error" },
  ])("reads a webhook with $name without throwing, and never approves what it cannot read", async ({ change, decision }) => {
    const verdict = await decideDeployment(request(change), facts(), gate.deps.engine);
    expect(verdict.outcome).toBe(decision);
  });

  it("turns an unexpected failure of a fact into an error verdict with its message", async () => {
    const failing = { ...facts(), deploymentEvidence: () => Promise.reject(new Error("boom while listing")) };
    const verdict = await decideDeployment(request(), failing, gate.deps.engine);
    expect(verdict).toMatchObject({ outcome: "error", error: "boom while listing", input: null });
  });
});
