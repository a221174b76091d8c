// Pull request events through the real registry, Probot, policy bundle and SQLite store; GitHub is
// faked at the HTTP boundary (nock) by a stateful scenario, so tests see what GitHub would show.
import { describe, expect, it } from "vitest";
import { graphqlOperations } from "../helpers/github-graphql.js";
import { harnessPerTest } from "../helpers/pull-request-harness.js";
import {
  CONFIG_PATH,
  HEAD_SHA,
  checkRunsOf,
  existingCheckRun,
  policyYaml,
  pullOf,
  scenario,
  sentBodies,
  verdictBodies,
  webhook,
} from "../helpers/pull-request-scenario.js";

const harness = harnessPerTest();

const opened = () => webhook("pull_request.opened");

describe("pull_request opened", () => {
  it("posts a failing check named after the base branch when approvals are missing, and records it", async () => {
    const h = await harness();
    await h.deliver("pull_request", opened(), "delivery-opened");

    // Created once, completed with the verdict: no "in progress" write before it.
    const [completed, ...more] = verdictBodies(h.github.requests);
    expect(more).toEqual([]);
    expect(completed).toMatchObject({ name: "repol (main)", head_sha: HEAD_SHA, status: "completed", conclusion: "failure" });
    expect(completed.output.title).toBe("1 of 4 rules failed: approvals_required");
    expect(completed.output.summary).toContain("| ❌ | `approvals_required` | 1 approval required, 0 given |");
    expect(completed.output.summary).toContain("| ✅ | `signed_off` | all 2 commits are signed off |");
    expect(completed.output.text).toContain("- Approvers (latest review approves; the author never counts): none");

    const [run] = checkRunsOf(h.s);
    const [row] = await h.rows();
    expect(row).toMatchObject({
      delivery_id: "delivery-opened",
      event: "pull_request",
      action: "opened",
      policy: "pullrequest",
      decision: "deny",
      repository: "acme/widgets",
      installation_id: 4242,
      pr_number: 42,
      sha: HEAD_SHA,
      actor: "alice",
      ref: "refs/heads/main",
      bundle_digest: h.engine.digest,
      effect: { kind: "check_run", ok: true, check_run_id: run.id },
      error: null,
    });
    expect(row.violations.map((v) => v.code)).toEqual(["approvals.insufficient"]);
    expect(row.input).toEqual({
      head_ref: "feature/login",
      base_ref: "main",
      workflow_meta: { approvers: [], signed_off: true },
      // The config as validated, with the schema's defaults filled in.
      repo_policy: { policy: { version: 1, branch_rules: [], rules: { allowed_target_branches: null, approvals_required: 1, signed_off: true } } },
      now: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      repository: { full_name: "acme/widgets", owner: "acme", name: "widgets", private: false, default_branch: "main", topics: [] },
      pull_request: {
        number: 42,
        title: "Pull request 42",
        body: "",
        author: "alice",
        labels: [],
        draft: false,
        base: "main",
        head: "feature/login",
        head_sha: HEAD_SHA,
        changed_files: [],
        changed_files_truncated: false,
        additions: 10,
        deletions: 2,
        commit_count: 2,
      },
      policy_source: "repository",
      org_config_sha: null,
    });
    expect(row.config_sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("passes with a title that says so when every configured rule holds", async () => {
    const s = scenario();
    pullOf(s, 42).reviews = [["bob", "APPROVED"]];
    const h = await harness(s);
    await h.deliver("pull_request", opened());

    const [run] = checkRunsOf(h.s);
    expect(run).toMatchObject({ name: "repol (main)", status: "completed", conclusion: "success" });
    expect(run.output.title).toBe("All rules pass for main");
    expect(run.output.summary).toContain("| ✅ | `approvals_required` | 1 approval, 1 required |");
    expect(run.output.summary).toContain("| ➖ | `allowed_target_branches` | any target branch allowed |");
    expect((await h.rows())[0]).toMatchObject({ decision: "allow", violations: [] });
  });
});

describe("every pull request event repol listens to", () => {
  it.each([
    ["pull_request", "reopened", "pull_request.opened"],
    ["pull_request", "synchronize", "pull_request.synchronize"],
    ["pull_request", "ready_for_review", "pull_request.opened.draft"],
    ["pull_request_review", "submitted", "pull_request_review.submitted.approved"],
    ["pull_request_review", "edited", "pull_request_review.submitted.approved"],
    ["pull_request_review", "dismissed", "pull_request_review.dismissed"],
  ])("judges the pull request and posts its check on %s.%s", async (event, action, fixture) => {
    const s = scenario();
    s.pulls.push({ ...pullOf(s, 42), number: 43, headRef: "wip/search" });
    const h = await harness(s);
    await h.deliver(
      event,
      webhook(fixture, (p) => {
        p.action = action;
        if (action === "ready_for_review") p.pull_request.draft = false;
      }),
    );

    expect(verdictBodies(h.github.requests)).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "failure" })]);
    expect(await h.rows()).toEqual([expect.objectContaining({ event, action, policy: "pullrequest" })]);
  });
});

describe("reviews update the same check run", () => {
  it("turns the same check run green when an approval is submitted", async () => {
    const h = await harness();
    await h.deliver("pull_request", opened());
    h.s.pulls[0].reviews = [["bob", "APPROVED"]];
    await h.deliver("pull_request_review", webhook("pull_request_review.submitted.approved"));

    expect(sentBodies(h.github.requests, "create-check-run")).toHaveLength(1);
    const runs = checkRunsOf(h.s);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "repol (main)", conclusion: "success" });
    const rows = await h.rows();
    expect(rows.map((r) => [r.event, r.action, r.decision, r.actor, r.effect.check_run_id])).toEqual([
      ["pull_request", "opened", "deny", "alice", runs[0].id],
      ["pull_request_review", "submitted", "allow", "bob", runs[0].id],
    ]);
  });

  it("turns the check red again when the approval is dismissed", async () => {
    const h = await harness();
    h.s.pulls[0].reviews = [["bob", "APPROVED"]];
    await h.deliver("pull_request_review", webhook("pull_request_review.submitted.approved"));
    expect(checkRunsOf(h.s)[0].conclusion).toBe("success");

    // GitHub rewrites a dismissed review's state to DISMISSED.
    h.s.pulls[0].reviews = [["bob", "DISMISSED"]];
    await h.deliver("pull_request_review", webhook("pull_request_review.dismissed"));

    const runs = checkRunsOf(h.s);
    expect(runs).toHaveLength(1);
    expect(runs[0].conclusion).toBe("failure");
    expect(runs[0].output.summary).toContain("1 approval required, 0 given");
  });

  it.each([
    [
      "changes requested after an approval",
      [
        ["bob", "APPROVED"],
        ["bob", "CHANGES_REQUESTED"],
      ],
      "failure",
    ],
    [
      "a comment after an approval",
      [
        ["bob", "APPROVED"],
        ["bob", "COMMENTED"],
      ],
      "success",
    ],
    ["the author approving their own pull request", [["alice", "APPROVED"]], "failure"],
    [
      "an approval after changes were requested",
      [
        ["bob", "CHANGES_REQUESTED"],
        ["bob", "APPROVED"],
      ],
      "success",
    ],
  ] as const)("judges %s by the reviewer's latest state", async (_label, reviews, conclusion) => {
    const s = scenario();
    pullOf(s, 42).reviews = reviews.map(([login, state]) => [login, state]);
    const h = await harness(s);
    await h.deliver("pull_request_review", webhook("pull_request_review.submitted.changes_requested"));
    expect(checkRunsOf(h.s)[0].conclusion).toBe(conclusion);
  });

  it("counts 120 reviews spread over two pages correctly", async () => {
    // 40 reviewers: each comments, then approves; every fourth then requests changes (on page 2).
    const reviewers = Array.from({ length: 40 }, (_, i) => `reviewer-${String(i).padStart(2, "0")}`);
    const reviews = [
      ...reviewers.map((login) => [login, "COMMENTED"] as [string, "COMMENTED"]),
      ...reviewers.map((login) => [login, "APPROVED"] as [string, "APPROVED"]),
      ...reviewers.map((login, i) => [login, i % 4 === 0 ? "CHANGES_REQUESTED" : "COMMENTED"] as [string, "CHANGES_REQUESTED" | "COMMENTED"]),
    ];
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 31 }) } });
    pullOf(s, 42).reviews = reviews;
    const h = await harness(s);
    await h.deliver("pull_request", opened());

    // The first 100 come with the facts query; the other 20 cost one request for the next page.
    expect(graphqlOperations(h.github.requests)).toEqual(["RepolFacts", "RepolReviewsPage"]);
    const [row] = await h.rows();
    const approvers = (row.input as { workflow_meta: { approvers: string[] } }).workflow_meta.approvers;
    expect(approvers).toHaveLength(30);
    expect(approvers).not.toContain("reviewer-00");
    expect(approvers).toContain("reviewer-01");
    expect(checkRunsOf(h.s)[0].output.summary).toContain("31 approvals required, 30 given");
  });
});

describe("where the rules come from", () => {
  it("reads the config from the default branch even when the pull request changes .repol/", async () => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 2 }), "feature/login": policyYaml({ approvals_required: 0 }) } });
    const h = await harness(s);
    await h.deliver("pull_request", opened());

    const reads = h.github.readByGraphQL("config-file");
    // The head's copy is read in the same query only for a policy preview; the verdict below shows main's is in force.
    expect(reads.filter((r) => r.path.endsWith(CONFIG_PATH)).map((r) => r.query.get("ref"))).toEqual(["refs/heads/main", HEAD_SHA]);
    // Rule files come from the default branch only: the head is read for its three YAML files and nothing else.
    expect(new Set(reads.map((r) => r.query.get("ref")))).toEqual(new Set(["refs/heads/main", HEAD_SHA]));
    expect(reads.filter((r) => r.query.get("ref") === HEAD_SHA).map((r) => r.path.replace(/^.*\/contents\//, ""))).toEqual([
      ".repol/deploy.yaml",
      ".repol/pullrequest.yaml",
      ".repol/org.yaml",
    ]);
    expect(checkRunsOf(h.s)[0]).toMatchObject({ conclusion: "failure" });
    expect(checkRunsOf(h.s)[0].output.summary).toContain("2 approvals required, 0 given");
  });

  it("judges a pull request from a fork by the base repository's config and posts the check there", async () => {
    const h = await harness();
    await h.deliver("pull_request", webhook("pull_request.opened.fork"));

    expect(h.github.requests.every((r) => r.path.startsWith("/repos/acme/widgets/") || r.path.startsWith("/app/") || r.route === "graphql")).toBe(true);
    expect(h.github.calls("graphql").map((r) => (r.body as { variables: { owner: string; name: string } }).variables)).toEqual([
      expect.objectContaining({ owner: "acme", name: "widgets" }),
    ]);
    expect(h.github.readByGraphQL("config-file").map((r) => [r.path, r.query.get("ref")])).toEqual([
      [`/repos/acme/widgets/contents/${CONFIG_PATH}`, "refs/heads/main"],
      ["/repos/acme/widgets/contents/.repol/policies", "refs/heads/main"],
    ]);
    const [created] = sentBodies(h.github.requests, "create-check-run");
    expect(created).toMatchObject({ name: "repol (main)", head_sha: pullOf(h.s, 44).headSha });
    const [row] = await h.rows();
    expect(row).toMatchObject({ pr_number: 44, actor: "mallory", decision: "deny" });
    expect(checkRunsOf(h.s, pullOf(h.s, 44).headSha)[0].output.text).toContain("(from fork mallory/widgets)");
  });

  it("posts no check and records nothing when no pull request policy exists at any level (the default `skip`)", async () => {
    const h = await harness(scenario({ configs: {} }));
    await h.deliver("pull_request", opened());

    expect(checkRunsOf(h.s)).toEqual([]);
    expect(await h.rows()).toEqual([]);
    expect(h.github.calls("reviews")).toHaveLength(0);
    expect(graphqlOperations(h.github.requests)).toEqual(["RepolFacts"]);
  });

  it.each([
    ["a YAML syntax error", "policy:\n  version: 1\n  rules:\n    approvals_required: 1\n    signed_off: off: x\n", 5, 17],
    ["a duplicate key", "policy:\n  version: 1\n  rules:\n    approvals_required: 1\n    approvals_required: 2\n", 5, 5],
    ["an unknown key", "policy:\n  version: 1\n  rules:\n    approvals_required: 1\n    aprovals: 2\n", 5, 5],
    ["a value of the wrong type", 'policy:\n  version: 1\n  rules:\n    signed_off: "yes"\n', 4, 17],
  ])("annotates %s at the offending line and says how to fix it", async (_label, yaml, line, column) => {
    const h = await harness(scenario({ configs: { main: yaml } }));
    await h.deliver("pull_request", opened());

    const [run] = checkRunsOf(h.s);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toMatch(/^Invalid \.repol\/pullrequest\.yaml: \d+ problems?$/);
    expect(run.output.summary).toContain("merge the fix into main; then re-run this check");
    expect(run.annotations.length).toBeGreaterThan(0);
    expect(run.annotations[0]).toMatchObject({ path: CONFIG_PATH, start_line: line, end_line: line, start_column: column, annotation_level: "failure" });
    const [row] = await h.rows();
    expect(row.decision).toBe("deny");
    expect(row.violations[0]).toMatchObject({ code: "config.invalid", file: CONFIG_PATH, line });
  });

  it("posts more than 50 config annotations in batches of 50", async () => {
    const unknown = Array.from({ length: 60 }, (_, i) => `    unknown_rule_${i}: true`).join("\n");
    const h = await harness(scenario({ configs: { main: `policy:\n  version: 1\n  rules:\n${unknown}\n` } }));
    await h.deliver("pull_request", opened());

    const updates = verdictBodies(h.github.requests);
    const sizes = updates.map((body) => body.output.annotations?.length ?? 0);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBe(50);
    expect(updates[0].conclusion).toBe("failure");
    const [run] = checkRunsOf(h.s);
    expect(run.annotations.length).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(run.annotations.map((a) => a.start_line).slice(0, 3)).toEqual([4, 5, 6]);
  });
});

describe("check output limits and draft pull requests", () => {
  it("truncates a summary over 65,535 bytes with a note instead of failing", async () => {
    const long = (prefix: string, i: number) => `${prefix}${i}-${"x".repeat(240)}`;
    const branchRules = Array.from({ length: 100 }, (_, i) => ({ source: long("src", i), target: long("dst", i) }));
    const targets = Array.from({ length: 100 }, (_, i) => long("target", i));
    const h = await harness(scenario({ configs: { main: policyYaml({ allowed_target_branches: targets }, branchRules) } }));
    await h.deliver("pull_request", opened());

    const [update] = verdictBodies(h.github.requests);
    expect(Buffer.byteLength(update.output.summary, "utf8")).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(update.output.summary, "utf8")).toBeGreaterThan(60_000);
    expect(update.output.summary).toContain("_Truncated: the full text is");
    expect(update.conclusion).toBe("failure");
  });

  it("evaluates a draft and says it is a draft in the title and summary", async () => {
    const s = scenario();
    s.pulls.push({ ...pullOf(s, 42), number: 43, headRef: "wip/search", draft: true, reviews: [["bob", "APPROVED"]] });
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.opened.draft"));

    const [run] = checkRunsOf(h.s);
    expect(run.conclusion).toBe("success");
    expect(run.output.title).toBe("Draft: All rules pass for main");
    expect(run.output.summary).toMatch(/^> \*\*This pull request is a draft\.\*\*/);
    expect((await h.rows())[0]).toMatchObject({ pr_number: 43, decision: "allow" });
  });
});

describe("retargeting and edits", () => {
  it("posts a new check named after the new base when the pull request is retargeted", async () => {
    const s = scenario({ configs: { main: policyYaml({ allowed_target_branches: ["main"] }) } });
    s.checkRuns.push(existingCheckRun(880001, "repol (main)", { conclusion: "success" }));
    pullOf(s, 42).baseRef = "release/1.2";
    const h = await harness(s);
    await h.deliver("pull_request", webhook("pull_request.edited.base"));

    // The facts query looked for our run under the new name, and found none.
    expect((h.github.calls("graphql")[0].body as { variables: { checkName: string } }).variables.checkName).toBe("repol (release/1.2)");
    const [created] = sentBodies(h.github.requests, "create-check-run");
    expect(created).toMatchObject({ name: "repol (release/1.2)", head_sha: HEAD_SHA });
    const runs = checkRunsOf(h.s);
    expect(runs.map((r) => [r.name, r.conclusion])).toEqual([
      ["repol (main)", "success"],
      ["repol (release/1.2)", "failure"],
    ]);
    expect(runs[1].output.summary).toContain("Target branch release/1.2 is not allowed");
    expect((await h.rows())[0]).toMatchObject({ action: "edited", ref: "refs/heads/release/1.2" });
  });

  it("ignores a title edit: no GitHub call, no row", async () => {
    const h = await harness();
    await h.deliver("pull_request", webhook("pull_request.edited.title"));
    expect(h.github.requests).toEqual([]);
    expect(await h.rows()).toEqual([]);
  });
});
