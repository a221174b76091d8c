// Organisation governance over HTTP: signed webhooks to the real server, GitHub faked on 127.0.0.1
// with the owner's `.github` repository beside the repository judged. The organisation's files are a
// plain object a test edits between deliveries, as a merge to `.github` would.
import { afterEach, describe, expect, it } from "vitest";
import { startOrganisation, type OrganisationScenario } from "../helpers/organisation-scenario.js";
import { checkRunsOf, policyYaml, pullOf, scenario, type PullRequestScenario } from "../helpers/pull-request-scenario.js";

const ORG_YAML = ".repol/org.yaml";
const ORG_PULL_REQUEST_YAML = ".repol/pullrequest.yaml";

let running: OrganisationScenario | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(s: PullRequestScenario, org: Record<string, string>): Promise<OrganisationScenario> {
  running = await startOrganisation(s, org);
  return running;
}

const noRepositoryPolicy = () => scenario({ configs: {} });

describe("the policy in force", () => {
  it("judges a repository without .repol/ by the organisation's default and records where the rules came from", async () => {
    const org = { [ORG_PULL_REQUEST_YAML]: policyYaml({ approvals_required: 1 }) };
    const r = await start(noRepositoryPolicy(), org);

    const row = await r.judge();

    expect(checkRunsOf(r.s)).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "failure" })]);
    expect(checkRunsOf(r.s)[0]!.output.title).toContain("approvals_required");
    expect(row).toMatchObject({ decision: "deny", input: { policy_source: "organisation", repo_policy: { policy: { rules: { approvals_required: 1 } } } } });
    expect(row!.config_sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("raises a repository's looser approvals_required to the organisation's minimum, and the check says so", async () => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 1 }) } });
    pullOf(s, 42).reviews = [["bob", "APPROVED"]];
    const org = { [ORG_YAML]: "version: 1\nminimums:\n  pullrequest:\n    rules:\n      approvals_required: 2\n" };
    const r = await start(s, org);

    const row = await r.judge();

    const [run] = checkRunsOf(s);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.summary).toContain("Organisation minimums raised this repository's rules");
    expect(run!.output.summary).toContain("`approvals_required`: `1` → `2` (organisation minimum for pull requests)");
    expect(row).toMatchObject({ decision: "deny", input: { policy_source: "repository", org_config_sha: expect.stringMatching(/^[0-9a-f]{40}$/) } });
  });

  it("fails closed, naming the .github file and line, when org.yaml is invalid", async () => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 0 }) } });
    const r = await start(s, { [ORG_YAML]: "version: 1\nunconfigured_pull_request: skip\n" });

    const row = await r.judge();

    expect(checkRunsOf(s)[0]).toMatchObject({ conclusion: "failure" });
    expect(checkRunsOf(s)[0]!.output.title).toBe("Invalid acme/.github/.repol/org.yaml: 1 problem");
    expect(row!.violations[0]).toMatchObject({ code: "config.invalid", file: "acme/.github/.repol/org.yaml", line: 2 });
  });
});

describe("repositories no pull request policy covers", () => {
  it("get no check run and no audit row by default, whatever the organisation's other files say", async () => {
    const r = await start(noRepositoryPolicy(), { [ORG_YAML]: "version: 1\n" });

    expect(await r.judge()).toBeUndefined();

    expect(checkRunsOf(r.s)).toEqual([]);
    expect(running!.github.calls("create-check-run")).toEqual([]);
  });

  it("get a neutral check when org.yaml says `unconfigured_pull_requests: neutral`", async () => {
    const r = await start(noRepositoryPolicy(), { [ORG_YAML]: "version: 1\nunconfigured_pull_requests: neutral\n" });

    await r.judge();

    expect(checkRunsOf(r.s)).toEqual([expect.objectContaining({ conclusion: "neutral" })]);
    expect(checkRunsOf(r.s)[0]!.output.title).toBe("No pull request policy");
  });

  it("get a failing check, recorded as a denial, when org.yaml says `unconfigured_pull_requests: fail`", async () => {
    const r = await start(noRepositoryPolicy(), { [ORG_YAML]: "version: 1\nunconfigured_pull_requests: fail\n" });

    const row = await r.judge();

    expect(checkRunsOf(r.s)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
    expect(checkRunsOf(r.s)[0]!.output.summary).toContain("The organisation requires one (unconfigured_pull_requests: fail).");
    expect(row).toMatchObject({ decision: "deny", violations: [expect.objectContaining({ code: "policy.missing" })] });
  });

  it("get no check run when org.yaml excludes the repository, even with its own policy", async () => {
    const r = await start(scenario(), { [ORG_YAML]: 'version: 1\nscope:\n  exclude: ["widg*"]\n' });

    expect(await r.judge()).toBeUndefined();

    expect(checkRunsOf(r.s)).toEqual([]);
  });
});

describe("exemptions", () => {
  const exemption = [
    "version: 1",
    "exemptions:",
    "  - repository: widgets",
    "    rules: [approvals_required]",
    "    reason: reviewers on leave",
    "    owner: platform-team",
    '    expires: "2025-03-31"',
    "",
  ].join("\n");

  it("turn a failure into a warning naming owner and expiry, recorded for GET /audit?exempted=true, and stop applying after their date", async () => {
    const r = await start(scenario({ configs: { main: policyYaml({ approvals_required: 1 }) } }), { [ORG_YAML]: exemption });

    const exempted = await r.judge();

    const [run] = checkRunsOf(r.s);
    expect(run).toMatchObject({ conclusion: "success" });
    expect(run!.output.summary).toContain("exempted until 2025-03-31 by platform-team: reviewers on leave");
    expect(run!.output.summary).toContain("⚠️ failed, but exempted by the organisation (see the row): reported, not blocking.");
    expect(exempted).toMatchObject({
      decision: "allow",
      violations: [],
      exemptions: [expect.objectContaining({ owner: "platform-team", exempted: ["approvals.insufficient"] })],
    });
    expect((await r.audit("exempted=true")).map((row) => row.id)).toEqual([exempted!.id]);

    await r.clock.advance(31 * 24 * 60 * 60_000);
    const expired = await r.judge("pull_request.synchronize");

    expect(checkRunsOf(r.s)[0]).toMatchObject({ conclusion: "failure" });
    expect(checkRunsOf(r.s)[0]!.output.summary).toContain("the exemption granted by platform-team expired on 2025-03-31");
    expect(expired).toMatchObject({ decision: "deny" });
    expect(expired!.exemptions).toBeUndefined();
    expect((await r.audit("exempted=false")).map((row) => row.id)).toEqual([expired!.id]);
  });
});
