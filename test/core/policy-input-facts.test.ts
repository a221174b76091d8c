// The facts rules read, as the decide functions put them in each policy's input, checked against the
// input schemas that document them (schemas/*-input.schema.json): a key the code adds without the
// schema, or a value of another shape, fails here.
import { beforeAll, describe, expect, it } from "vitest";
import { decideDeployment } from "../../src/core/decide-deployment.js";
import { decidePullRequest } from "../../src/core/decide-pull-request.js";
import type { DecisionFacts, PolicySnapshot, PullRequestFacts } from "../../src/core/facts.js";
import type { PullRequestUnderReview } from "../../src/domain/pull-request.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { readDeploymentRequest } from "../../src/webhooks/read-deployment-request.js";
import { DEPLOY_YAML, deploymentPayload, SHA } from "../helpers/deployment-scenario.js";
import { inputSchemaErrors } from "../helpers/input-schemas.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";
import { webhook } from "../helpers/pull-request-scenario.js";

const NOW = new Date("2026-05-01T09:30:00.123Z");
const REPOSITORY = { fullName: "acme/widgets", owner: "acme", name: "widgets", private: true, defaultBranch: "main", topics: ["pci"] };
const signed = { sha: "b".repeat(40), commit: { message: "Add it\n\nSigned-off-by: Alice <alice@example.com>", author: { email: "alice@example.com" } } };
const DETAILS = {
  title: "Move the ledger",
  body: "Why it moves.",
  labels: ["change-approved"],
  draft: false,
  base: "main",
  head: "feature/ledger",
  headSha: "c".repeat(40),
  additions: 12,
  deletions: 3,
  changedFiles: [{ path: "infra/ledger.tf", status: "renamed" as const, additions: 12, deletions: 3 }],
  changedFilesTruncated: false,
};
const pull = (details: PullRequestFacts["details"]): PullRequestFacts => ({
  number: 42,
  author: "alice",
  commitCount: 1,
  reviews: [{ user: { login: "bob" }, state: "APPROVED" }],
  commits: [signed],
  ...(details ? { details } : {}),
});

function facts(file: string | null, snapshot: Partial<PolicySnapshot>, pulls: PullRequestFacts[]): DecisionFacts {
  return {
    policy: async (query) => {
      const path = `.repol/${query.policy}.yaml`;
      return { defaultBranch: "main", file: file === null ? null : { path, ref: "refs/heads/main", text: file, sha: "blob" }, ...snapshot };
    },
    deploymentEvidence: async () => ({
      environments: ["production"],
      refKind: "branch",
      pulls,
      commit: null,
      checkRuns: [{ name: "ci", status: "completed", conclusion: "success" }],
      statuses: [],
      approvedDeploymentsToday: 0,
    }),
    pullRequestEvidence: async () => pulls[0]!,
  };
}

const pr: PullRequestUnderReview = {
  number: 42,
  state: "open",
  draft: false,
  headRef: "feature/ledger",
  headSha: "c".repeat(40),
  headRepo: "acme/widgets",
  baseRef: "main",
  author: "alice",
  owner: "acme",
  repo: "widgets",
  defaultBranch: "main",
};
const PR_POLICY = "policy:\n  version: 1\n  rules:\n    approvals_required: 1\n";

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

const deploy = (payload: Record<string, unknown>, snapshot: Partial<PolicySnapshot>, pulls: PullRequestFacts[]) =>
  decideDeployment(readDeploymentRequest(payload as never, "https://api.github.com"), facts(DEPLOY_YAML, snapshot, pulls), engine, { now: NOW });

describe("the deployment policy's input", () => {
  it("holds now, the repository, the deployment and its pull requests' details, as its schema says", async () => {
    const { input } = await deploy(deploymentPayload(), { repository: REPOSITORY }, [pull(DETAILS)]);
    expect(input).toMatchObject({
      now: "2026-05-01T09:30:00.123Z",
      repository: { full_name: "acme/widgets", owner: "acme", name: "widgets", private: true, default_branch: "main", topics: ["pci"] },
      deployment: { id: 2345678901, environment: "production", ref: "main", sha: SHA, creator: "github-actions[bot]", event: "push" },
      pull_requests: [
        {
          number: 42,
          title: "Move the ledger",
          body: "Why it moves.",
          author: "alice",
          labels: ["change-approved"],
          draft: false,
          base: "main",
          head: "feature/ledger",
          head_sha: "c".repeat(40),
          changed_files: [{ path: "infra/ledger.tf", status: "renamed", additions: 12, deletions: 3 }],
          changed_files_truncated: false,
          additions: 12,
          deletions: 3,
          commit_count: 1,
        },
      ],
    });
    expect(inputSchemaErrors("deploy", input)).toEqual([]);
  });

  it("has a null deployment when GitHub sends a job without one, and null facts a recording did not hold", async () => {
    const payload = webhook("deployment_protection_rule.requested.no_deployment");
    const { input } = await deploy(payload, {}, [pull(undefined)]);
    expect(input).toMatchObject({ deployment: null, repository: null, pull_requests: [null] });
    expect(inputSchemaErrors("deploy", input)).toEqual([]);
  });

  it("fails the schema when a pull request's changed file has a status GitHub's REST API does not name", async () => {
    const { input } = await deploy(deploymentPayload(), { repository: REPOSITORY }, [pull(DETAILS)]);
    const changed = {
      ...input!,
      pull_requests: [{ ...input!.pull_requests[0]!, changed_files: [{ path: "a", status: "DELETED", additions: 0, deletions: 0 }] }],
    };
    expect(inputSchemaErrors("deploy", changed)).toContain("/pull_requests/0/changed_files/0/status must be equal to one of the allowed values");
  });
});

describe("the pull request policy's input", () => {
  it("holds now, the repository and the pull request's details, as its schema says", async () => {
    const { input } = await decidePullRequest(pr, facts(PR_POLICY, { repository: REPOSITORY }, [pull(DETAILS)]), engine, { now: NOW });
    expect(input).toMatchObject({
      now: "2026-05-01T09:30:00.123Z",
      repository: { full_name: "acme/widgets" },
      pull_request: { labels: ["change-approved"], head_sha: "c".repeat(40) },
    });
    expect(inputSchemaErrors("pullrequest", input)).toEqual([]);
  });

  it("still matches its schema from a recording without the pull request's details", async () => {
    const { input } = await decidePullRequest(pr, facts(PR_POLICY, {}, [pull(undefined)]), engine, { now: NOW });
    expect(input?.repository).toBeNull();
    expect(input?.pull_request ?? null).toBeNull();
    expect(inputSchemaErrors("pullrequest", input)).toEqual([]);
  });

  it("fails the schema for a key the schema does not document", async () => {
    const { input } = await decidePullRequest(pr, facts(PR_POLICY, { repository: REPOSITORY }, [pull(DETAILS)]), engine, { now: NOW });
    expect(inputSchemaErrors("pullrequest", { ...input, undocumented: true })).toEqual(["/ must NOT have additional properties"]);
  });
});
