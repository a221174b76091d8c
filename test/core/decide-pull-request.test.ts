// decidePullRequest through its facts seam: the evidence snapshot is read only for a valid policy.
import { beforeAll, describe, expect, it } from "vitest";
import { decidePullRequest } from "../../src/core/decide-pull-request.js";
import type { DecisionFacts, PullRequestFacts } from "../../src/core/facts.js";
import type { PullRequestUnderReview } from "../../src/domain/pull-request.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";

const pr: PullRequestUnderReview = {
  number: 42,
  state: "open",
  draft: false,
  headRef: "feature/login",
  headSha: "a".repeat(40),
  headRepo: "acme/widgets",
  baseRef: "main",
  author: "alice",
  owner: "acme",
  repo: "widgets",
  defaultBranch: "main",
};
const POLICY = "policy:\n  version: 1\n  rules:\n    approvals_required: 1\n    signed_off: true\n";
const signed = { sha: "b".repeat(40), commit: { message: "Add it\n\nSigned-off-by: Alice <alice@example.com>", author: { email: "alice@example.com" } } };

function facts(text: string | null, evidence: Partial<PullRequestFacts> = {}, asked: string[] = []): DecisionFacts {
  return {
    policy: async (query) => {
      asked.push(`policy:${query.policy}`);
      return { defaultBranch: "main", file: text === null ? null : { path: ".repol/pullrequest.yaml", ref: "refs/heads/main", text, sha: "blob" } };
    },
    deploymentEvidence: () => Promise.reject(new Error("a pull request asks for no deployment evidence")),
    pullRequestEvidence: async (query) => {
      asked.push(`evidence:#${query.number}`);
      return { number: query.number, author: "alice", commitCount: 1, reviews: [], commits: [signed], ...evidence };
    },
  };
}

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

describe("decidePullRequest", () => {
  it("reads no evidence when no pull request policy exists at any level, and judges nothing (no check run)", async () => {
    const asked: string[] = [];
    const verdict = await decidePullRequest(pr, facts(null, {}, asked), engine);
    expect(asked).toEqual(["policy:pullrequest"]);
    expect(verdict).toMatchObject({ configSha: null, input: null, violations: [], basis: { kind: "not_judged", answer: { post: false } } });
  });

  it("reads no evidence when the policy file is invalid, and names the problem with its line", async () => {
    const asked: string[] = [];
    const verdict = await decidePullRequest(pr, facts("policy:\n  version: 1\n  rules:\n    aprovals_required: 1\n", {}, asked), engine);
    expect(asked).toEqual(["policy:pullrequest"]);
    expect(verdict).toMatchObject({ outcome: "deny", configSha: "blob", input: null, basis: { kind: "config_invalid" } });
    expect(verdict.violations[0]).toMatchObject({ code: "config.invalid", file: ".repol/pullrequest.yaml", line: 4 });
  });

  it("counts approving reviews, never the author's own, and checks every commit's sign-off", async () => {
    const reviews = [
      { user: { login: "alice" }, state: "APPROVED" },
      { user: { login: "bob" }, state: "APPROVED" },
    ];
    const asked: string[] = [];
    const verdict = await decidePullRequest(pr, facts(POLICY, { reviews }, asked), engine);
    expect(asked).toEqual(["policy:pullrequest", "evidence:#42"]);
    expect(verdict).toMatchObject({ outcome: "allow", violations: [], input: { workflow_meta: { approvers: ["bob"], signed_off: true } } });
  });

  it("fails closed on a pull request with more commits than GitHub lists", async () => {
    const verdict = await decidePullRequest(pr, facts(POLICY, { reviews: [{ user: { login: "bob" }, state: "APPROVED" }], commitCount: 300 }), engine);
    expect(verdict.outcome).toBe("deny");
    expect(verdict.violations).toEqual([expect.objectContaining({ code: "signoff.missing", detail: expect.stringContaining("#42 has 300 commits") })]);
  });

  it("turns a fact that cannot be read into an error verdict, never an allow", async () => {
    const broken = { ...facts(POLICY), pullRequestEvidence: () => Promise.reject(new Error("GitHub answered 502 while reading reviews")) };
    const verdict = await decidePullRequest(pr, broken, engine);
    expect(verdict).toMatchObject({ outcome: "error", error: "GitHub answered 502 while reading reviews", configSha: "blob", basis: { kind: "error" } });
  });
});
