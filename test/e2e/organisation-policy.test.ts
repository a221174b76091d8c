// Organisation governance over HTTP: signed webhooks to the real server, GitHub faked on 127.0.0.1
// with the owner's `.github` repository beside the repository judged. The organisation's files are a
// plain object a test edits between deliveries, as a merge to `.github` would.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/audit/record.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { graphqlOperations } from "../helpers/github-graphql.js";
import { FORK_SHA, HEAD_SHA, checkRunsOf, policyYaml, pullOf, scenario, scenarioRoutes, webhook, type PullRequestScenario } from "../helpers/pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { contentsRoute } from "../helpers/repository-contents.js";
import { json, paged, type Route } from "../helpers/github-router.js";
import { deployYaml, recordedDeployment } from "../org/preview-fixtures.js";

const AUDIT_TOKEN = "org-audit-token";
const ORG_YAML = ".repol/org.yaml";
const ORG_PULL_REQUEST_YAML = ".repol/pullrequest.yaml";

let github: FakeGitHub | undefined;
let repol: RepolOverHttp | undefined;
afterEach(async () => {
  await repol?.close();
  await github?.close();
  [repol, github] = [undefined, undefined];
});

interface Running {
  s: PullRequestScenario;
  org: Record<string, string>;
  clock: ManualClock;
  /** Delivers a pull request event and waits until repol has finished with it. */
  judge(event?: string): Promise<AuditRecord | undefined>;
  repol: RepolOverHttp;
  audit(query: string): Promise<AuditRecord[]>;
}

async function start(s: PullRequestScenario, org: Record<string, string>, routes: Route[] = []): Promise<Running> {
  // Later routes win: a test's own routes over the scenario's.
  github = await fakeGitHub([contentsRoute("acme/.github", org, "org-contents"), ...scenarioRoutes(s), ...routes]);
  const clock = new ManualClock("2025-03-01T12:00:00.000Z");
  const running = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN }, { clock });
  repol = running;
  return {
    s,
    org,
    clock,
    repol: running,
    async judge(event = "pull_request.opened") {
      const { id, status } = await running.deliver(event.split(".")[0]!, webhook(event));
      expect(status).toBe(202);
      expect(await running.work.intake.queue.drain(10_000)).toBe(true);
      const row = await running.gate.store.findByDelivery(id);
      if (row) await eventually("the check run write", async () => (await running.gate.store.findByDelivery(id))?.effect.ok);
      return row;
    },
    async audit(query) {
      const response = await fetch(`${running.url}/audit?${query}`, { headers: { authorization: `Bearer ${AUDIT_TOKEN}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { rows: AuditRecord[] }).rows;
    },
  };
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
    expect(github!.calls("create-check-run")).toEqual([]);
  });

  it("get a neutral check when org.yaml says `unconfigured_pull_requests: neutral`", async () => {
    const r = await start(noRepositoryPolicy(), { [ORG_YAML]: "version: 1\nunconfigured_pull_requests: neutral\n" });

    await r.judge();

    expect(checkRunsOf(r.s)).toEqual([expect.objectContaining({ conclusion: "neutral" })]);
    expect(checkRunsOf(r.s)[0]!.output.title).toBe("No pull request policy");
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
    expect(exempted).toMatchObject({ decision: "allow", violations: [], exemptions: [expect.objectContaining({ owner: "platform-team", exempted: ["approvals.insufficient"] })] });
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

describe("the policy preview check", () => {
  /** A pull request whose head changes `.repol/deploy.yaml` to `text`. */
  const proposing = (text: string): Route[] => [
    { name: "pull-files", method: "GET", path: /^\/repos\/acme\/widgets\/pulls\/42\/files$/, reply: (request) => paged(request, [{ filename: ".repol/deploy.yaml", status: "modified", additions: 1, deletions: 1 }]) },
    {
      name: "head-file",
      method: "GET",
      path: /^\/repos\/acme\/widgets\/contents\/\.repol\/deploy\.yaml$/,
      reply: (request) => (request.query.get("ref") === HEAD_SHA ? json(200, contentFile(".repol/deploy.yaml", text)) : json(404, { message: "Not Found" })),
    },
  ];

  it("lists the recorded deployments a .repol/deploy.yaml change would flip, beside the verdict check", async () => {
    const r = await start(scenario(), {}, proposing(deployYaml("approvals_required: 2")));
    const store = r.repol.gate.store;
    const { id: flipped } = await store.insert(recordedDeployment({ repository: "acme/widgets", approvers: ["alice"] }));
    await store.insert(recordedDeployment({ repository: "acme/widgets", approvers: ["alice", "bob"] }));

    await r.judge();
    await eventually("the preview check run", () => checkRunsOf(r.s).find((run) => run.name === "repol policy preview"));

    const preview = checkRunsOf(r.s).find((run) => run.name === "repol policy preview")!;
    expect(preview).toMatchObject({ conclusion: "neutral" });
    expect(preview.output.title).toBe("1 of 2 recorded decisions would change");
    expect(preview.output.summary).toContain(`\`${flipped}\``);
    expect(preview.output.summary).toContain("approvals.insufficient");
    expect(checkRunsOf(r.s).map((run) => run.name).sort()).toEqual(["repol (main)", "repol policy preview"]);
    expect(graphqlOperations(github!.requests)).toEqual(["RepolFacts", "RepolProposedPolicy"]);
  });

  it("fails with an annotation at the line when the proposed file is invalid", async () => {
    const r = await start(scenario(), {}, proposing("policy:\n  version: 1\n  environments:\n    production:\n      rules: {aprovals_required: 2}\n"));

    await r.judge();
    await eventually("the preview check run", () => checkRunsOf(r.s).find((run) => run.name === "repol policy preview"));

    const preview = checkRunsOf(r.s).find((run) => run.name === "repol policy preview")!;
    expect(preview).toMatchObject({ conclusion: "failure" });
    expect(preview.annotations).toEqual([expect.objectContaining({ path: ".repol/deploy.yaml", start_line: 5, annotation_level: "failure" })]);
  });

  it("is not posted for a pull request from a fork, whose head repol does not read", async () => {
    const forkFiles: Route = {
      name: "fork-pull-files",
      method: "GET",
      path: /^\/repos\/acme\/widgets\/pulls\/44\/files$/,
      reply: (request) => paged(request, [{ filename: ".repol/deploy.yaml", status: "modified", additions: 1, deletions: 1 }]),
    };
    const r = await start(scenario(), {}, [forkFiles]);

    await r.judge("pull_request.opened.fork");

    expect(checkRunsOf(r.s, FORK_SHA).map((run) => run.name)).toEqual(["repol (main)"]);
    expect(graphqlOperations(github!.requests)).toEqual(["RepolFacts"]);
  });

  it("is not posted for a pull request that changes no .repol file", async () => {
    const r = await start(scenario(), {});

    await r.judge();

    expect(checkRunsOf(r.s).map((run) => run.name)).toEqual(["repol (main)"]);
    expect(graphqlOperations(github!.requests)).toEqual(["RepolFacts"]);
  });
});

function contentFile(path: string, text: string) {
  const bytes = Buffer.from(text);
  const sha = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  return { type: "file", encoding: "base64", size: bytes.length, name: path.split("/").at(-1), path, sha, content: bytes.toString("base64") };
}
