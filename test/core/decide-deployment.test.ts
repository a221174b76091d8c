// decideDeployment through its RepoFacts seam: answers given as plain data, no HTTP at all.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { judgeChecks } from "../../src/core/judge-checks.js";
import type { RefKind, RepoFacts } from "../../src/github/repo-facts.js";
import { judgeSignOff } from "../../src/core/judge-sign-off.js";
import { decideDeployment } from "../../src/handlers/deployment.js";
import { qualifyDeploymentRef, startOfUtcDay } from "../../src/core/deployment-ref.js";
import { gateDeps, type GateDeps } from "../helpers/gate-deps.js";
import { DEPLOY_YAML, deploymentPayload, SHA } from "../helpers/deployment-scenario.js";

const signed = (email: string) => ({ sha: "a".repeat(40), commit: { message: `Do it\n\nSigned-off-by: X <${email}>`, author: { email } } });

function facts(change: Partial<RepoFacts> = {}, calls: string[] = []): RepoFacts {
  const log = <T>(name: string, value: T) => {
    calls.push(name);
    return value;
  };
  return {
    defaultBranch: async () => log("defaultBranch", "main"),
    configFile: async (path) => log("configFile", { path, ref: "refs/heads/main", text: DEPLOY_YAML, sha: "blob" }),
    environments: async () => log("environments", ["production"]),
    refKind: async () => log("refKind", "branch" as RefKind),
    pullsForCommit: async () => log("pullsForCommit", [{ number: 1, author: "alice" }]),
    approversOf: async () => log("approversOf", ["bob", "carol"]),
    checksPassed: async (_sha, options) => log("checksPassed", judgeChecks([{ name: "ci", status: "completed", conclusion: "success" }], [], options)),
    signedOff: async () => log("signedOff", judgeSignOff([signed("alice@example.com")])),
    ...change,
  };
}

let gate: GateDeps;
beforeEach(async () => {
  gate = await gateDeps();
});
afterEach(async () => {
  await gate.close();
});

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
  ] as const)("turns $ref ($kind) into $expected", async ({ ref, kind, expected }) => {
    expect(await qualifyDeploymentRef(ref, { refKind: async () => kind })).toBe(expected);
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
    const verdict = await decideDeployment(deploymentPayload() as never, facts(), gate.deps);
    expect(verdict).toMatchObject({ decision: "allow", violations: [], ref: "refs/heads/main", configSha: "blob", error: null });
    expect(verdict.callback).toEqual({ ok: true, owner: "acme", repo: "widgets", runId: 7654321098 });
  });

  it("asks no GitHub question when the callback URL is not GitHub's", async () => {
    const calls: string[] = [];
    const payload = deploymentPayload((p) => void (p.deployment_callback_url = "https://evil.example.com/x"));
    const verdict = await decideDeployment(payload as never, facts({}, calls), gate.deps);
    expect(verdict.decision).toBe("error");
    expect(calls).toEqual([]);
  });

  it("counts no author of any pull request behind the commit as an approver", async () => {
    const verdict = await decideDeployment(
      deploymentPayload() as never,
      facts({
        pullsForCommit: async () => [{ number: 1, author: "alice" }, { number: 2, author: "bob" }],
        approversOf: async (number) => (number === 1 ? ["bob", "carol"] : ["alice", "dave"]),
      }),
      gate.deps,
    );
    expect((verdict.input as { workflow_meta: { approvers: string[] } }).workflow_meta.approvers).toEqual(["carol", "dave"]);
    expect(verdict.decision).toBe("allow");
  });

  it("requires every pull request behind the commit to be signed off, and says which is not", async () => {
    const verdict = await decideDeployment(
      deploymentPayload() as never,
      facts({
        pullsForCommit: async () => [{ number: 1, author: "alice" }, { number: 2, author: "bob" }],
        approversOf: async () => ["carol", "dave"],
        signedOff: async (target) => judgeSignOff("pull" in target && target.pull === 2 ? [{ sha: "b".repeat(40), commit: { message: "x", author: { email: "bob@example.com" } } }] : [signed("alice@example.com")]),
      }),
      gate.deps,
    );
    expect(verdict.decision).toBe("deny");
    expect(verdict.violations).toEqual([expect.objectContaining({ code: "signoff.missing", detail: expect.stringMatching(/^#2: 1 of 1 commits lack/) })]);
  });

  it("narrows the tests fact to required_checks from the environment's rules", async () => {
    const seen: unknown[] = [];
    const config = DEPLOY_YAML.replace("tests_passed: true", "tests_passed: true\n        required_checks: [unit-tests]");
    await decideDeployment(
      deploymentPayload() as never,
      facts({
        configFile: async (path) => ({ path, ref: "refs/heads/main", text: config, sha: "blob" }),
        checksPassed: async (_sha, options) => {
          seen.push(options);
          return judgeChecks([], [], options);
        },
      }),
      gate.deps,
    );
    expect(seen).toEqual([{ excludeRunId: 7654321098, requiredChecks: ["unit-tests"] }]);
  });

  it("counts today's deployments for the day it is told is today", async () => {
    await gate.insertAt(new Date("2025-06-01T08:00:00Z"), { decision: "allow" });
    await gate.insertAt(new Date("2025-06-02T08:00:00Z"), { decision: "allow" });
    const verdict = await decideDeployment(deploymentPayload() as never, facts(), gate.deps, { now: new Date("2025-06-01T23:00:00Z") });
    // The window is "since midnight" with no end: live, nothing is later than now; a replay of a past day is approximate.
    expect((verdict.input as { workflow_meta: { deployments_today: number } }).workflow_meta.deployments_today).toBe(3);
  });

  it.each([
    { name: "pull_requests that is not a list", change: (p: Record<string, any>) => void (p.pull_requests = "x"), decision: "allow" },
    { name: "null entries in pull_requests", change: (p: Record<string, any>) => void (p.pull_requests = [null, { number: -1 }]), decision: "allow" },
    { name: "no repository owner", change: (p: Record<string, any>) => void delete p.repository.owner, decision: "error" },
    { name: "no environment", change: (p: Record<string, any>) => void (delete p.environment, delete p.deployment.environment), decision: "error" },
    { name: "no deployment at all", change: (p: Record<string, any>) => void delete p.deployment, decision: "error" },
  ])("reads a webhook with $name without throwing, and never approves what it cannot read", async ({ change, decision }) => {
    const verdict = await decideDeployment(deploymentPayload(change) as never, facts(), gate.deps);
    expect(verdict.decision).toBe(decision);
  });

  it("turns an unexpected failure of a fact into an error verdict with its message", async () => {
    const verdict = await decideDeployment(deploymentPayload() as never, facts({ environments: async () => Promise.reject(new Error("boom while listing")) }), gate.deps);
    expect(verdict).toMatchObject({ decision: "error", error: "boom while listing", input: null });
  });
});
