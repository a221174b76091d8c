// Custom Rego rules end to end: signed webhooks POSTed to the real server, GitHub faked on 127.0.0.1
// serving `.repol/policies` from the repository and from the owner's `.github` repository, compiled
// with the pinned OPA and evaluated in the server's workers.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readRuleFiles } from "../../src/cli/read-rule-files.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes as deploymentRoutes } from "../helpers/deployment-scenario.js";
import { checkRunsOf, scenario, scenarioRoutes as pullRequestRoutes, webhook, type PullRequestScenario } from "../helpers/pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp, type RepolOverHttpOptions } from "../helpers/repol-over-http.js";
import { contentsRoute } from "../helpers/repository-contents.js";

const caseDir = (name: string) => fileURLToPath(new URL(`../fixtures/custom-rules/${name}/`, import.meta.url));
/** A fixture's rule files as repository paths and texts, as the contents route serves them. */
const rulesOf = (name: string): Record<string, string> => Object.fromEntries(readRuleFiles(caseDir(name)).map((file) => [file.path, file.text]));

/** What one delivery left: its audit row once the answer reached GitHub. */
async function deliver(repol: RepolOverHttp, event: string, payload: unknown) {
  const posted = await repol.deliver(event, payload);
  expect(posted.status).toBe(202);
  await eventually("the answer to reach GitHub and the audit trail", async () => (await repol.gate.store.findByDelivery(posted.id))?.effect.ok, 30_000);
  return (await repol.gate.store.findByDelivery(posted.id))!;
}

interface PullRequestRig {
  s: PullRequestScenario;
  github: FakeGitHub;
  repol: RepolOverHttp;
  /** Serves these rule files on the repository's (and optionally the organisation's) default branch. */
  commit(repoRules: Record<string, string>, orgRules?: Record<string, string>): void;
  close(): Promise<void>;
}

async function pullRequestRig(options: RepolOverHttpOptions = {}): Promise<PullRequestRig> {
  const s = scenario();
  const github = await fakeGitHub(pullRequestRoutes(s));
  const repol = await repolOverHttp(github, {}, options);
  return {
    s,
    github,
    repol,
    commit(repoRules, orgRules = {}) {
      github.use(contentsRoute("acme/widgets", { ".repol/pullrequest.yaml": s.configs.main!, ...repoRules }, "config-file"));
      github.use(contentsRoute("acme/.github", orgRules, "org-contents"));
    },
    async close() {
      await repol.close();
      await github.close();
    },
  };
}

/** A rig for the enclosing describe block, started before its tests and closed after them. */
function rigPerBlock(options: RepolOverHttpOptions = {}): () => PullRequestRig {
  let rig: PullRequestRig | undefined;
  beforeAll(async () => {
    rig = await pullRequestRig(options);
  });
  afterAll(async () => rig?.close());
  return () => rig!;
}

describe("a repository's custom rules on its pull requests", () => {
  const rigOf = rigPerBlock();
  let rig: PullRequestRig;
  beforeEach(() => {
    rig = rigOf();
  });

  it("fails the check with a custom deny's message, annotated where its _loc points, recording the sources", async () => {
    rig.commit(rulesOf("e2e/deny"));
    const row = await deliver(rig.repol, "pull_request", webhook("pull_request.opened"));

    const [run] = checkRunsOf(rig.s);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.summary).toContain("| ❌ | `repol.pullrequest.labels` | pull requests need the reviewed label |");
    expect(run!.annotations).toContainEqual(
      expect.objectContaining({ path: ".repol/policies/labels.rego", start_line: 6, annotation_level: "failure", title: "labels.missing" }),
    );
    expect(row.decision).toBe("deny");
    expect(row.violations).toContainEqual(expect.objectContaining({ code: "labels.missing", package: "repol.pullrequest.labels" }));
    const [file] = readRuleFiles(caseDir("e2e/deny"));
    expect(row.custom_rules).toEqual([
      { origin: "repository", repository: "acme/widgets", digest: expect.stringMatching(/^[0-9a-f]{64}$/), files: [{ path: file!.path, sha: file!.sha }] },
    ]);
  });

  it("does not compile the same sources again for the next event", async () => {
    const before = rig.repol.gate.customRules.compiles.length;
    const row = await deliver(rig.repol, "pull_request", webhook("pull_request.synchronize"));
    expect(row.decision).toBe("deny");
    expect(rig.repol.gate.customRules.compiles).toHaveLength(before);
    expect(before).toBeGreaterThan(0);
  });

  it("leaves a pull request whose custom rule only warns with a success check listing the warning", async () => {
    rig.commit(rulesOf("e2e/warn"));
    rig.s.pulls[0]!.reviews = [["bob", "APPROVED"]];
    const row = await deliver(rig.repol, "pull_request", webhook("pull_request.synchronize"));

    const [run] = checkRunsOf(rig.s);
    expect(run!.conclusion).toBe("success");
    expect(run!.output.title).toContain("1 warning: repol.pullrequest.changelog");
    expect(run!.output.summary).toContain("| ⚠️ | `repol.pullrequest.changelog` | remember to update CHANGELOG.md |");
    expect(row).toMatchObject({ decision: "allow", violations: [], warnings: [expect.objectContaining({ msg: "remember to update CHANGELOG.md" })] });
  });

  it.each([
    ["a Rego syntax error", "syntax-error", ".repol/policies/broken.rego", 5, /unexpected } token/],
    ["an http.send call", "http-send", ".repol/policies/fetch.rego", 4, /builtin http\.send is not allowed/],
  ])("fails the check on %s, naming the file and line, annotated there", async (_case, fixture, path, line, message) => {
    rig.commit(rulesOf(fixture));
    const row = await deliver(rig.repol, "pull_request", webhook("pull_request.synchronize"));

    const [run] = checkRunsOf(rig.s);
    expect(run!.conclusion).toBe("failure");
    expect(run!.output.summary).toContain(`${path}:${line}:`);
    expect(run!.output.summary).toMatch(message);
    expect(run!.annotations).toContainEqual(expect.objectContaining({ path, start_line: line, annotation_level: "failure" }));
    expect(row).toMatchObject({ decision: "error", error: expect.stringContaining(`${path}:${line}:`) });
  });
});

describe("an organisation's custom rules", () => {
  const rigOf = rigPerBlock();

  it("fail a repository's pull request, marked as the organisation's, beside the repository's own rules", async () => {
    const rig = rigOf();
    rig.commit(rulesOf("e2e/warn"), rulesOf("e2e/org"));
    const row = await deliver(rig.repol, "pull_request", webhook("pull_request.opened"));

    const [run] = checkRunsOf(rig.s);
    expect(run!.conclusion).toBe("failure");
    expect(run!.output.summary).toContain(
      "| ❌ | `repol.pullrequest.linked_issue (organisation acme/.github)` | every pull request in acme must link an issue |",
    );
    expect(run!.output.summary).toContain("| ⚠️ | `repol.pullrequest.changelog` |");
    // The organisation's files are not in this repository: no annotation points into them.
    expect(run!.annotations.some((annotation) => annotation.path === ".repol/policies/issues.rego")).toBe(false);
    expect(row.violations).toContainEqual(expect.objectContaining({ package: "repol.pullrequest.linked_issue", organisation: "acme/.github" }));
    expect(row.custom_rules?.map((source) => [source.origin, source.repository])).toEqual([
      ["repository", "acme/widgets"],
      ["organisation", "acme/.github"],
    ]);
  });
});

describe("a custom rule that loops past the time limit", () => {
  // Long enough that the quick pull request is answered well inside it, even on a loaded machine.
  const rigOf = rigPerBlock({ customRulesPool: { timeoutMs: 8_000 } });

  it("fails its check closed, naming the package, while another pull request is answered meanwhile", async () => {
    const rig = rigOf();
    rig.commit(rulesOf("e2e/slow-42"));
    const slow = await rig.repol.deliver("pull_request", webhook("pull_request.opened"));
    const quick = await rig.repol.deliver("pull_request", webhook("pull_request.opened.fork"));
    expect([slow.status, quick.status]).toEqual([202, 202]);

    const store = rig.repol.gate.store;
    await eventually("the other pull request to be answered", async () => (await store.findByDelivery(quick.id))?.effect.ok, 30_000);
    expect(await store.findByDelivery(slow.id)).toBeUndefined();
    await eventually("the looping rule to be stopped", async () => (await store.findByDelivery(slow.id))?.effect.ok, 30_000);

    const row = (await store.findByDelivery(slow.id))!;
    expect(row).toMatchObject({ decision: "error", error: expect.stringMatching(/repol\.pullrequest\.slow: the rules ran longer than the 8000 ms limit/) });
    const [run] = checkRunsOf(rig.s);
    expect(run!.conclusion).toBe("failure");
    expect(run!.output.summary).toContain("repol.pullrequest.slow");
  });
});

describe("a repository's custom deploy rules", () => {
  let github: FakeGitHub;
  let repol: RepolOverHttp;
  const s = passingScenario();
  const commit = (rules: Record<string, string>) => github.use(contentsRoute("acme/widgets", { ".repol/deploy.yaml": s.config!, ...rules }, "config-file"));
  const payload = () =>
    deploymentPayload((p) => {
      p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    });
  beforeAll(async () => {
    github = await fakeGitHub(deploymentRoutes(s));
    repol = await repolOverHttp(github);
  });
  afterAll(async () => {
    await repol?.close();
    await github?.close();
  });

  it("reject a deployment the built-in rules approve, with the custom rule's message and package", async () => {
    commit(rulesOf("e2e/deploy-deny"));
    const row = await deliver(repol, "deployment_protection_rule", payload());

    const [callback] = callbackBodies(github.requests);
    expect(callback!.state).toBe("rejected");
    expect(callback!.comment).toContain("**custom.repol.deploy.freeze**: production is frozen for the release");
    expect(row).toMatchObject({ decision: "deny", violations: [expect.objectContaining({ package: "repol.deploy.freeze" })] });
    expect(row.custom_rules).toEqual([expect.objectContaining({ origin: "repository", digest: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
  });

  it("reject a deployment whose rules do not compile, naming the file, line and column", async () => {
    github.requests.length = 0;
    commit(rulesOf("e2e/deploy-broken"));
    const row = await deliver(repol, "deployment_protection_rule", payload());

    const [callback] = callbackBodies(github.requests);
    expect(callback!.state).toBe("rejected");
    expect(callback!.comment).toMatch(/could not evaluate it: custom rules could not be applied: \.repol\/policies\/broken\.rego:5:1: .*unexpected \} token/);
    expect(row).toMatchObject({ decision: "error", custom_rules: [expect.objectContaining({ digest: expect.any(String) })] });
  });
});
