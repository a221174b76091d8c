import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { fixtures, runRepol } from "./run-repol.js";

const replayDir = join(fixtures, "cli", "replay");
const webhook = join(replayDir, "deployment_protection_rule.requested.json");
const facts = join(replayDir, "facts.json");
const recordedFacts = JSON.parse(readFileSync(facts, "utf8"));
const pullRequest = join(replayDir, "pull_request.opened.json");
const pullRequestFacts = join(replayDir, "pull-request-facts.json");
const scratch = mkdtempSync(join(tmpdir(), "repol-replay-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The recorded facts with some answers changed, written to a scratch file. */
function factsWith(changes: Record<string, unknown>, name: string): string {
  const path = join(scratch, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...recordedFacts, ...changes }));
  return path;
}

function savedPayload(name: string, payload: unknown): string {
  const path = join(scratch, `${name}.webhook.json`);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

const replay = (extra: string[], factsFile = facts) =>
  runRepol(["replay", webhook, "--event", "deployment_protection_rule", "--facts", factsFile, "--now", "2025-03-04T10:15:00Z", ...extra]);

// Each test starts a process; they run side by side, so assertions use the test's own `expect`.
describe.concurrent("repol replay", () => {
  it("replays a deployment the recorded facts allow, and exits 0", async ({ expect }) => {
    const run = await replay([]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      "deployment_protection_rule.requested acme/shop → production (ref main → refs/heads/main, sha 5f2c9e1)",
      "deploy: ALLOW",
      "  ✓ every rule passed",
    ]);
  });

  it("judges a local config change against the recorded delivery with --config", async ({ expect }) => {
    const run = await replay(["--config", join(replayDir, "stricter-deploy.yaml")]);
    expect(run.code).toBe(1);
    expect(run.lines.slice(1)).toEqual(["deploy: DENY", "  ✗ approvals.insufficient: 3 approvals required, 2 given (alice, bob)"]);
  });

  it("reports errors in a --config file under that file's own name", async ({ expect }) => {
    const broken = join(scratch, "my-deploy.yaml");
    writeFileSync(broken, "policy:\n  version: 1\n  environments:\n    production:\n      rules:\n        aprovals_required: 2\n");
    const run = await replay(["--config", broken]);
    expect(run.code).toBe(1);
    expect(run.lines[2]!.startsWith(`  ✗ config.invalid: ${broken}:6:9: unknown key \`aprovals_required\``)).toBe(true);
    expect(run.stdout).not.toContain(".repol/deploy.yaml");
  });

  it("counts the recorded approvals of the day against max_deployments_per_day", async ({ expect }) => {
    const run = await replay([], factsWith({ approved_deployments_today: 5 }, "busy-day"));
    expect(run.code).toBe(1);
    expect(run.lines).toContain("  ✗ rate_limit.exceeded: This would be deployment 6 to production today; the limit is 5 per day");
  });

  it("judges recorded check runs again, so a failing check fails tests_passed", async ({ expect }) => {
    const sha = "5f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d";
    const checks = { [sha]: { check_runs: [{ name: "test", status: "completed", conclusion: "failure" }], statuses: [] } };
    const run = await replay([], factsWith({ checks }, "failing-check"));
    expect(run.code).toBe(1);
    expect(run.lines).toContain("  ✗ tests.failed: Tests did not pass; production requires passing tests");
  });

  it("gives an error verdict, never an allow, when the recording lacks a fact the policy needs", async ({ expect }) => {
    const run = await replay(["--format", "json"], factsWith({ approvers: {} }, "no-approvers"));
    expect(run.code).toBe(1);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.decision).toBe("error");
    expect(verdict.error).toMatch(/the recorded facts have no approvers entry for pull request #12/);
  });

  it("denies with config.missing when the recording has no .repol/deploy.yaml", async ({ expect }) => {
    const run = await replay([], factsWith({ files: {} }, "no-config"));
    expect(run.code).toBe(1);
    expect(run.lines[1]).toBe("deploy: DENY");
    expect(run.lines[2]).toMatch(/^ {2}✗ config\.missing: \.repol\/deploy\.yaml was not found on the default branch main/);
  });

  it("prints the decision, the input the policy saw and the config SHA as JSON", async ({ expect }) => {
    const run = await replay(["--format", "json"]);
    expect(run.code).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({
      event: "deployment_protection_rule.requested",
      repository: "acme/shop",
      environment: "production",
      ref: "refs/heads/main",
      decision: "allow",
      violations: [],
      error: null,
      config_sha: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
    });
    expect(verdict.input.workflow_meta).toEqual({
      approvers: ["alice", "bob"],
      checks: { tests: true, pending: [], failed: [], missing: [] },
      signed_off: true,
      deployments_today: 3,
    });
  });

  it("takes the event name from a saved delivery's headers", async ({ expect }) => {
    const saved = join(scratch, "delivery.json");
    writeFileSync(saved, JSON.stringify({ headers: { "x-github-event": "deployment_protection_rule" }, payload: JSON.parse(readFileSync(webhook, "utf8")) }));
    const run = await runRepol(["replay", saved, "--facts", facts, "--now", "2025-03-04T10:15:00Z"]);
    expect(run.code).toBe(0);
    expect(run.lines[1]).toBe("deploy: ALLOW");
  });

  it.for([
    ["check_run", "check-run-rerequested", /cannot replay check_run: .*replay that pull request's pull_request delivery instead/],
    ["issues", "deployment", /repol does not answer issues\.requested deliveries/],
  ] as const)("exits 2 for a %s delivery, saying why", async ([event, payload, message], { expect }) => {
    const file =
      payload === "deployment"
        ? webhook
        : savedPayload(payload, { action: "rerequested", check_run: { id: 1, name: "repol (main)", head_sha: "a".repeat(40), pull_requests: [] } });
    const run = await runRepol(["replay", file, "--event", event, "--facts", facts]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it.for([
    ["no --event and no headers", ["replay", webhook, "--facts", facts], /give the webhook's event name with --event/],
    ["no --facts", ["replay", webhook, "--event", "deployment_protection_rule"], /replay needs --facts/],
    ["a bad --now", ["replay", webhook, "--event", "deployment_protection_rule", "--facts", facts, "--now", "yesterday"], /--now must be an ISO 8601 time/],
    ["two webhook files", ["replay", webhook, webhook, "--event", "deployment_protection_rule", "--facts", facts], /replay takes one saved webhook file/],
  ] as const)("exits 2 for %s", async ([, args, message], { expect }) => {
    const run = await runRepol([...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("exits 2 for a facts file with an unknown key, so a typo cannot drop a fact", async ({ expect }) => {
    const run = await replay([], factsWith({ aprovers: {} }, "typo"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown key "aprovers"/);
  });

  it("exits 2 for an action repol does not answer", async ({ expect }) => {
    const payload = join(scratch, "other-action.json");
    writeFileSync(payload, JSON.stringify({ ...JSON.parse(readFileSync(webhook, "utf8")), action: "created" }));
    const run = await runRepol(["replay", payload, "--event", "deployment_protection_rule", "--facts", facts]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/repol does not answer deployment_protection_rule\.created deliveries/);
  });

  it("replays a pull request delivery and shows the check run the App would post", async ({ expect }) => {
    const run = await runRepol(["replay", pullRequest, "--event", "pull_request", "--facts", pullRequestFacts]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      "pull_request.opened acme/widgets#42 feature/login → main (sha 3f78685)",
      "pullrequest: ALLOW",
      "  ✓ every rule passed",
      "check run: success — All rules pass for main",
    ]);
  });

  it("judges a local pull request config against the recorded delivery with --config", async ({ expect }) => {
    const stricter = join(scratch, "pullrequest.yaml");
    writeFileSync(stricter, "policy:\n  version: 1\n  rules:\n    approvals_required: 2\n");
    const run = await runRepol(["replay", pullRequest, "--event", "pull_request", "--facts", pullRequestFacts, "--config", stricter, "--format", "json"]);
    expect(run.code).toBe(1);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({ event: "pull_request.opened", pull_request: 42, decision: "deny", check: { conclusion: "failure" } });
    expect(verdict.violations.map((violation: { code: string }) => violation.code)).toEqual(["approvals.insufficient"]);
  });

  it("exits 2 for a title edit, which the App ignores too", async ({ expect }) => {
    const titleEdit = { ...JSON.parse(readFileSync(pullRequest, "utf8")), action: "edited", changes: { title: { from: "WIP" } } };
    const run = await runRepol(["replay", savedPayload("title-edit", titleEdit), "--event", "pull_request", "--facts", pullRequestFacts]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ignores a pull_request\.edited delivery that does not change the base branch/);
  });
});
