// The deployment gate end to end inside Probot: webhook in, GitHub faked at HTTP with nock, the real
// WASM policy, a real SQLite audit store. Each test checks what reached GitHub and what was stored.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repolApp } from "../../src/app.js";
import type { AuditRecord } from "../../src/audit/record.js";
import { registry } from "../../src/handlers/index.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { gateDeps, POLICY_WASM, type GateDeps } from "../helpers/gate-deps.js";
import type { GitHubRouter } from "../helpers/github-router.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import {
  callbackBodies,
  deploymentPayload,
  passingScenario,
  RUN_ID,
  scenarioRoutes,
  SHA,
  signedOff,
  type Payload,
  type Scenario,
} from "../helpers/deployment-scenario.js";
import { webhook } from "../helpers/pull-request-scenario.js";
import { testProbot } from "../helpers/test-probot.js";

let gate: GateDeps;
let github: GitHubRouter;

beforeEach(async () => {
  gate = await gateDeps();
});
afterEach(async () => {
  resetNock();
  await gate.close();
});

async function deliver(scenario: Scenario, payload: Payload = deploymentPayload(), id = `delivery-${Math.random()}`, deps = gate.deps) {
  github = nockGitHub(scenarioRoutes(scenario));
  const probot = testProbot();
  await probot.load(repolApp(registry, deps));
  await probot.receive({ id, name: "deployment_protection_rule", payload } as never);
  const row = await gate.store.findByDelivery(id);
  return { id, row: row!, callbacks: callbackBodies(github.requests) };
}

const withEnvironment = (environment: string) =>
  deploymentPayload((p) => {
    p.environment = environment;
    p.deployment.environment = environment;
    p.deployment.original_environment = environment;
    p.deployment_callback_url = p.deployment_callback_url.replace("7654321098", String(RUN_ID));
  });
const withRef = (ref: string) => deploymentPayload((p) => void (p.deployment.ref = ref));
const codes = (row: AuditRecord) => row.violations.map((violation) => violation.code);

describe("approving", () => {
  it("approves a deployment that meets every rule and records the decision with its full input", async () => {
    const { row, callbacks, id } = await deliver(passingScenario());

    expect(callbacks).toEqual([
      { environment_name: "production", state: "approved", comment: "repol approved the deployment to production: every rule passed." },
    ]);
    expect(github.calls("callback")[0]!.path).toBe(`/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`);
    expect(github.calls("callback")[0]!.headers.authorization).toBe("token ghs_testinstallationtoken");
    expect(github.calls("installation-token")[0]!.path).toBe("/app/installations/52345678/access_tokens");
    expect(row).toMatchObject({
      delivery_id: id,
      event: "deployment_protection_rule",
      action: "requested",
      policy: "deploy",
      decision: "allow",
      repository: "acme/widgets",
      installation_id: 52345678,
      environment: "production",
      ref: "refs/heads/main",
      sha: SHA,
      pr_number: 42,
      actor: "carol",
      violations: [],
      bundle_digest: gate.deps.engine.digest,
      config_sha: "9c1f3a7e2b4d6f8a0c2e4a6b8d0f2a4c6e8b0d2f",
      effect: { kind: "deployment_callback", ok: true, status: 204 },
      error: null,
    });
    expect(row.input).toEqual({
      environment: "production",
      ref: "refs/heads/main",
      repo_environments: ["production", "staging", "sandbox"],
      workflow_meta: { approvers: ["bob", "carol"], checks: { tests: true, pending: [], failed: [], missing: [] }, signed_off: true, deployments_today: 1 },
      repo_policy: { policy: expect.objectContaining({ version: 1, environments: expect.objectContaining({ production: expect.anything() }) }) },
      schedule: { now: (row.input as { now?: string }).now, deploy_windows: [], freeze: [] },
      commit_source: "deployment",
      now: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      repository: { full_name: "acme/widgets", owner: "acme", name: "widgets", private: false, default_branch: "main", topics: [] },
      deployment: { id: 2345678901, environment: "production", ref: "main", sha: SHA, creator: "github-actions[bot]", event: "push" },
      pull_requests: [
        {
          number: 42,
          title: "Pull request 42",
          body: "",
          author: "alice",
          labels: [],
          draft: false,
          base: "main",
          head: "feature-42",
          head_sha: SHA,
          changed_files: [],
          changed_files_truncated: false,
          additions: 10,
          deletions: 2,
          commit_count: 2,
        },
      ],
      policy_source: "repository",
      org_config_sha: null,
    });
    expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(row.created_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("judges a job GitHub sends without a deployment object from the top-level sha and ref, and records that", async () => {
    const payload = webhook("deployment_protection_rule.requested.no_deployment");
    expect(payload.deployment).toBeNull();

    const { row, callbacks } = await deliver(passingScenario(), payload);

    expect(callbacks).toEqual([
      { environment_name: "production", state: "approved", comment: "repol approved the deployment to production: every rule passed." },
    ]);
    expect(row).toMatchObject({ decision: "allow", sha: SHA, ref: "refs/heads/main", environment: "production", error: null });
    expect(row.input).toMatchObject({ ref: "refs/heads/main", commit_source: "top_level" });
  });

  it("prefers the top-level sha and ref to the deployment's when GitHub sends both", async () => {
    const payload = deploymentPayload((p) => {
      Object.assign(p, { sha: SHA, ref: "main" });
      Object.assign(p.deployment, { sha: "0".repeat(40), ref: "release/1.2" });
    });

    const { row, callbacks } = await deliver(passingScenario(), payload);

    // The scenario serves checks, pulls and statuses only for SHA: judging the deployment's commit would reject.
    expect(callbacks[0]!.state).toBe("approved");
    expect(row).toMatchObject({ sha: SHA, ref: "refs/heads/main" });
    expect(row.input).toMatchObject({ ref: "refs/heads/main", commit_source: "top_level" });
  });

  it("reads the rules from the default branch even when another branch is deployed", async () => {
    const scenario = passingScenario({ branches: ["main", "release/1.2"] });
    await deliver(scenario, withRef("release/1.2"));
    const reads = github.readByGraphQL("config-file");
    expect(reads.filter((call) => call.path.endsWith("/.repol/deploy.yaml")).map((call) => call.query.get("ref"))).toEqual(["refs/heads/main"]);
    // Rule files too come from the default branch only.
    expect(new Set(reads.map((call) => call.query.get("ref")))).toEqual(new Set(["refs/heads/main"]));
  });

  it("approves a deployment to an environment whose rules are switched off", async () => {
    const { row, callbacks } = await deliver(passingScenario({ pulls: [] }), withEnvironment("sandbox"));
    expect(callbacks[0]!.state).toBe("approved");
    expect(row.decision).toBe("allow");
  });

  it("uses the pull requests named in the webhook instead of looking them up", async () => {
    const payload = deploymentPayload((p) => {
      p.pull_requests = [
        {
          id: 1900000042,
          number: 42,
          url: "https://api.github.com/repos/acme/widgets/pulls/42",
          head: { ref: "feature-42", sha: SHA, repo: { id: 700123456 } },
          base: { ref: "main", sha: "0a1b", repo: { id: 700123456 } },
        },
      ];
    });
    const { row } = await deliver(passingScenario(), payload);
    expect(row.decision).toBe("allow");
    expect(github.readByGraphQL("commit-pulls")).toHaveLength(0);
    expect(github.readByGraphQL("reviews")).toHaveLength(1);
    expect((github.calls("graphql")[0]!.body as { query: string }).query).toContain("pull0: pullRequest(number: 42)");
  });

  it("counts only this repository's approved deployments to this environment since midnight UTC", async () => {
    const now = new Date();
    const yesterday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 60_000);
    await gate.insertAt(now, { decision: "allow" });
    await gate.insertAt(now, { decision: "deny" });
    await gate.insertAt(now, { decision: "allow", environment: "staging" });
    await gate.insertAt(now, { decision: "allow", repository: "acme/other" });
    await gate.insertAt(yesterday, { decision: "allow" });
    await gate.insertAt(yesterday, { decision: "allow" });

    const { row } = await deliver(passingScenario());

    expect(row.decision).toBe("allow");
    expect((row.input as { workflow_meta: { deployments_today: number } }).workflow_meta.deployments_today).toBe(2);
  });
});

describe("rejecting on a rule", () => {
  it.each([
    {
      rule: "a branch outside allowed_branches",
      scenario: passingScenario({ branches: ["main", "feature/login"] }),
      payload: withRef("feature/login"),
      code: "ref.denied",
      comment: "Branch feature/login may not deploy to production (allowed_branches: main, release/*)",
    },
    {
      rule: "a tag, which is not a branch",
      scenario: passingScenario(),
      payload: withRef("v1.0.0"),
      code: "ref.denied",
      comment: "Ref refs/tags/v1.0.0 is not a branch",
    },
    {
      rule: "too few approvals, not counting the author's own approval",
      scenario: passingScenario({
        pulls: [
          {
            ...passingScenario().pulls[0]!,
            reviews: [
              ["alice", "APPROVED", 1],
              ["bob", "APPROVED", 2],
              ["carol", "COMMENTED", 3],
            ],
          },
        ],
      }),
      code: "approvals.insufficient",
      comment: "2 approvals required, 1 given (bob)",
    },
    {
      rule: "an approval withdrawn by a later change request",
      scenario: passingScenario({
        pulls: [
          {
            ...passingScenario().pulls[0]!,
            reviews: [
              ["bob", "APPROVED", 1],
              ["carol", "APPROVED", 2],
              ["carol", "CHANGES_REQUESTED", 3],
            ],
          },
        ],
      }),
      code: "approvals.insufficient",
      comment: "2 approvals required, 1 given (bob)",
    },
    {
      rule: "a failed check",
      scenario: passingScenario({ checkRuns: [...passingScenario().checkRuns, { name: "lint", conclusion: "failure" }] }),
      code: "tests.failed",
      comment: "failing: lint (failure)",
    },
    {
      rule: "a check of another workflow run still running (only the waiting run is left out)",
      scenario: passingScenario({ checkRuns: [...passingScenario().checkRuns, { name: "e2e", status: "in_progress", runId: 7650000999 }] }),
      code: "tests.failed",
      comment: "not finished: e2e (in_progress)",
    },
    {
      rule: "a failed commit status",
      scenario: passingScenario({
        statuses: [
          { context: "ci/jenkins", state: "success" },
          { context: "ci/jenkins", state: "failure" },
        ],
      }),
      code: "tests.failed",
      comment: "failing: ci/jenkins (failure)",
    },
    {
      rule: "a commit without sign-off",
      scenario: passingScenario({
        pulls: [{ ...passingScenario().pulls[0]!, commits: [signedOff("alice@example.com"), { message: "wip", email: "alice@example.com" }] }],
      }),
      code: "signoff.missing",
      comment: '1 of 2 commits lack a "Signed-off-by:" trailer',
    },
    {
      rule: "an environment configured but missing from the repository",
      scenario: passingScenario(),
      payload: withEnvironment("qa"),
      code: "env.missing",
      comment: "Environment qa does not exist in this repository",
    },
    {
      rule: "an environment the config does not define",
      scenario: passingScenario({ environments: ["production", "preview"] }),
      payload: withEnvironment("preview"),
      code: "schema.policy.env_not_defined",
      comment: "preview",
    },
  ])("rejects $rule", async ({ scenario, payload, code, comment }) => {
    const { row, callbacks } = await deliver(scenario, payload);

    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toContain(`**${code}**`);
    expect(callbacks[0]!.comment).toContain(comment);
    expect(row.decision).toBe("deny");
    expect(codes(row)).toEqual([code]);
    expect(row.effect).toEqual({ kind: "deployment_callback", ok: true, status: 204 });
  });

  it("rejects the deployment over the daily limit: with a limit of 3 the 3rd passes and the 4th fails", async () => {
    const now = new Date();
    await gate.insertAt(now, { decision: "allow" });
    await gate.insertAt(now, { decision: "allow" });
    const third = await deliver(passingScenario(), deploymentPayload(), "third");
    expect(third.row.decision).toBe("allow");
    resetNock();

    const fourth = await deliver(passingScenario(), deploymentPayload(), "fourth");

    expect(fourth.row.decision).toBe("deny");
    expect(codes(fourth.row)).toEqual(["rate_limit.exceeded"]);
    expect(fourth.callbacks[0]!.comment).toContain("This would be deployment 4 to production today; the limit is 3 per day");
  });

  it("lists every broken rule in one comment", async () => {
    const scenario = passingScenario({
      branches: ["hotfix"],
      pulls: [{ number: 42, author: "alice", reviews: [], commits: [{ message: "x", email: "alice@example.com" }] }],
      checkRuns: [{ name: "build", conclusion: "failure" }],
    });
    const { row, callbacks } = await deliver(scenario, withRef("hotfix"));
    expect(codes(row).sort()).toEqual(["approvals.insufficient", "ref.denied", "signoff.missing", "tests.failed"]);
    expect(callbacks[0]!.comment.split("\n- ")).toHaveLength(5);
  });
});

describe("rejecting on the configuration", () => {
  it("rejects when .repol/deploy.yaml is missing and says how to add it", async () => {
    const { row, callbacks } = await deliver(passingScenario({ config: null }));

    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toContain(".repol/deploy.yaml was not found on the default branch main");
    expect(callbacks[0]!.comment).toContain("commit the file to main with rules for environment production");
    expect(row).toMatchObject({ decision: "deny", input: null, config_sha: null, error: null });
    expect(codes(row)).toEqual(["config.missing"]);
  });

  it("rejects invalid YAML and names file, line and column", async () => {
    const config = "policy:\n  version: 1\n  environments:\n    production:\n      rules: {approvals_required: 2\n";
    const { row, callbacks } = await deliver(passingScenario({ config }));

    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toMatch(/\.repol\/deploy\.yaml:\d+:\d+: /);
    expect(row.decision).toBe("deny");
    expect(codes(row)[0]).toBe("config.invalid");
    expect(row.violations[0]).toMatchObject({ file: ".repol/deploy.yaml", line: expect.any(Number), column: expect.any(Number) });
    expect(row.violations[0]!.line as number).toBeGreaterThanOrEqual(5);
  });

  it("rejects a schema error and names the failing field where it is", async () => {
    const config = DEPLOY_WITH("        approvals_required: two\n");
    const { row, callbacks } = await deliver(passingScenario({ config }));

    expect(callbacks[0]!.comment).toContain(".repol/deploy.yaml:6:29:");
    expect(callbacks[0]!.comment).toContain("approvals_required");
    expect(row.violations).toEqual([
      expect.objectContaining({
        code: "config.invalid",
        file: ".repol/deploy.yaml",
        line: 6,
        column: 29,
        path: "/policy/environments/production/rules/approvals_required",
      }),
    ]);
    expect(row.config_sha).toBe("9c1f3a7e2b4d6f8a0c2e4a6b8d0f2a4c6e8b0d2f");
  });
});

const DEPLOY_WITH = (rulesLine: string) => `policy:\n  version: 1\n  environments:\n    production:\n      rules:\n${rulesLine}`;

describe("failing closed", () => {
  it.each([
    // A fact GitHub cannot produce comes back as an error beside the rest of the answer: never a pass.
    {
      route: "environments",
      reason:
        "GitHub's GraphQL API answered with errors (GitHub answered 500 resolving /repos/acme/widgets/environments) while reading the facts of acme/widgets@3f78685",
    },
    {
      route: "reviews",
      reason: "GitHub's GraphQL API answered with errors (GitHub answered 500 resolving /repos/acme/widgets/pulls/42/reviews) while reading the facts",
    },
    { route: "check-runs", reason: "GitHub's GraphQL API answered with errors (GitHub answered 500 resolving /repos/acme/widgets/commits/" },
    {
      route: "config-file",
      reason:
        "GitHub's GraphQL API answered with errors (GitHub answered 500 resolving /repos/acme/widgets/contents/.repol/deploy.yaml; GitHub answered 500 resolving /repos/acme/widgets/contents/.repol/policies) while reading the facts",
    },
    { route: "graphql", reason: "GitHub answered 500 (Server Error) while reading the facts of acme/widgets@3f78685" },
  ] as const)("rejects with the reason when GitHub answers 500 for $route, and records an error", async ({ route, reason }) => {
    const { row, callbacks } = await deliver(passingScenario({ fail: { [route]: 500 } }));

    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toContain("could not evaluate it");
    expect(callbacks[0]!.comment).toContain(reason);
    expect(row).toMatchObject({ decision: "error", input: null, effect: { ok: true, status: 204 } });
    expect(row.error).toContain(reason);
  });

  it("rejects with the reason when the policy bundle fails to evaluate, and records an error", async () => {
    // A bundle capped at 1 MiB of WASM memory cannot hold this input: evaluation itself fails.
    const engine = await loadPolicyEngine(POLICY_WASM, { maxMemoryMiB: 1 });
    const environments = ["production", ...Array.from({ length: 4000 }, (_, i) => `env-${i}-${"x".repeat(250)}`)];

    const { row, callbacks } = await deliver(passingScenario({ environments }), deploymentPayload(), "bundle-fails", { ...gate.deps, engine });

    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toContain("could not evaluate it: Evaluating github/deploy/");
    expect(row).toMatchObject({ decision: "error", bundle_digest: engine.digest, ref: "refs/heads/main" });
    expect(row.input).toMatchObject({ environment: "production", repo_environments: environments });
    expect(row.error).toMatch(/^Evaluating github\/deploy\/\w+ failed/);
  });

  it("refuses to send the verdict or the token to a callback URL on another host", async () => {
    const evil = nock("https://evil.example.com").persist().post(/.*/).reply(204);
    const payload = deploymentPayload((p) => {
      p.deployment_callback_url = `https://evil.example.com/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    });

    const { row, callbacks } = await deliver(passingScenario(), payload);

    expect(callbacks).toHaveLength(0);
    expect(evil.isDone()).toBe(false);
    expect(github.requests.filter((request) => request.route !== "installation-token")).toEqual([]);
    expect(row.decision).toBe("error");
    expect(row.error).toContain("points to another host");
    expect(row.effect).toMatchObject({ kind: "deployment_callback", ok: false });
  });

  it("answers a redelivery of the same delivery id neither twice nor with a second row", async () => {
    const first = await deliver(passingScenario(), deploymentPayload(), "same-delivery");
    const requestsAfterFirst = github.requests.length;
    const probot = testProbot();
    await probot.load(repolApp(registry, gate.deps));
    await probot.receive({ id: "same-delivery", name: "deployment_protection_rule", payload: deploymentPayload() } as never);

    expect(first.callbacks).toHaveLength(1);
    expect(callbackBodies(github.requests)).toHaveLength(1);
    expect(github.requests.length).toBe(requestsAfterFirst);
    expect(await gate.store.count({ policy: "deploy" })).toBe(1);
  });

  it("rejects when the audit store is down, then fails the delivery so GitHub can redeliver it", async () => {
    const broken = await gateDeps();
    await broken.store.close();
    github = nockGitHub(scenarioRoutes(passingScenario()));
    const probot = testProbot();
    await probot.load(repolApp(registry, broken.deps));

    await expect(probot.receive({ id: "store-down", name: "deployment_protection_rule", payload: deploymentPayload() } as never)).rejects.toThrow();

    const callbacks = callbackBodies(github.requests);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toContain("could not evaluate it");
    await broken.close().catch(() => undefined);
  });

  it("answers two simultaneous deliveries of the same id once", async () => {
    github = nockGitHub(scenarioRoutes(passingScenario()));
    const probot = testProbot();
    await probot.load(repolApp(registry, gate.deps));
    const receive = () => probot.receive({ id: "twice-at-once", name: "deployment_protection_rule", payload: deploymentPayload() } as never);

    await Promise.all([receive(), receive()]);

    expect(callbackBodies(github.requests)).toHaveLength(1);
    expect(await gate.store.count({ policy: "deploy" })).toBe(1);
  });

  it("records GitHub's refusal of the callback (422) without retrying it", async () => {
    const { row } = await deliver(passingScenario({ callbackStatus: 422 }));
    expect(github.calls("callback")).toHaveLength(1);
    expect(row.decision).toBe("allow");
    expect(row.effect).toMatchObject({ ok: false, status: 422 });
    expect(row.effect.error).toContain("already decided");
  });

  it("never approves when the webhook lacks the deployed commit", async () => {
    const { row, callbacks } = await deliver(
      passingScenario(),
      deploymentPayload((p) => void (delete p.sha, delete p.deployment.sha)),
    );
    expect(callbacks[0]!.state).toBe("rejected");
    expect(row).toMatchObject({ decision: "error", error: "the webhook lacks sha" });
  });

  it("never judges a deployment whose webhook names no installation, and reads nothing from GitHub", async () => {
    const { row } = await deliver(
      passingScenario(),
      deploymentPayload((p) => void delete p.installation),
    );
    expect(row).toMatchObject({ decision: "error", error: expect.stringContaining("names no installation") });
    // Only the rejection is attempted: no fact is read.
    expect(github.requests.map((request) => request.route)).toEqual(["callback"]);
  });

  it("judges the deployed commit itself when no pull request is behind it", async () => {
    const scenario = passingScenario({ pulls: [], commit: { message: "Hotfix", email: "carol@example.com" } });
    const { row } = await deliver(scenario);
    expect(codes(row).sort()).toEqual(["approvals.insufficient", "signoff.missing"]);
    expect(github.readByGraphQL("commit").length).toBeGreaterThan(0);
    expect((row.input as { workflow_meta: { approvers: string[] } }).workflow_meta.approvers).toEqual([]);
  });
});
