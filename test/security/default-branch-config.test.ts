// The rules always come from the repository's default branch: a pull request (or a deployed branch)
// that loosens `.repol/` on its own branch is still judged by the rules it would change. Over HTTP,
// with GitHub faked on 127.0.0.1 serving a different `.repol` file per branch.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import {
  checkRunsOf,
  CONFIG_PATH,
  HEAD_SHA,
  policyYaml,
  scenario,
  scenarioRoutes as prScenarioRoutes,
  webhook,
  type PullRequestScenario,
} from "../helpers/pull-request-scenario.js";
import { eventually, startRepol, type RepolUnderTest } from "./harness.js";

/** What the facts query reads at a pull request's head, for the policy preview and nothing else. */
const PREVIEWED = [".repol/deploy.yaml", ".repol/pullrequest.yaml", ".repol/org.yaml"];

describe("a pull request that edits .repol/pullrequest.yaml", () => {
  let repol: RepolUnderTest;
  let s: PullRequestScenario;
  beforeAll(async () => {
    s = scenario();
    repol = await startRepol({ routes: prScenarioRoutes(s) });
  });
  afterAll(() => repol.close());
  beforeEach(() => {
    s.checkRuns.length = 0;
    repol.github.requests.length = 0;
    repol.github.graphqlReads.length = 0;
    repol.github.defaultBranch = "main";
    repol.github.files.clear();
    repol.github.commit("main", CONFIG_PATH, policyYaml({ approvals_required: 2, signed_off: true }));
  });

  // The file is read inside the facts query, at the branch GitHub names as the default; so is every
  // other file the query reads (rule files, the owner's .github policies), except the head's own
  // `.repol` YAML files, read for the policy preview only.
  const configRefs = () => refsOf(repol, `/repos/acme/widgets/contents/${CONFIG_PATH}`, HEAD_SHA);
  const verdict = async (id: string) => {
    const row = await repol.rowOf(id);
    await eventually("the check run to complete", () => checkRunsOf(s)[0]?.status === "completed");
    return { decision: row.decision, summary: checkRunsOf(s)[0]?.output.summary ?? "" };
  };

  it.each([
    ["removes every rule", policyYaml({})],
    ["sets approvals to zero", policyYaml({ approvals_required: 0, signed_off: false })],
    ["replaces the file with something invalid", "policy: [\n"],
  ])("is still judged by the rules on main when it %s", async (_label, loosened) => {
    repol.github.commit("feature/login", CONFIG_PATH, loosened);

    const { id } = await repol.deliver("pull_request", webhook("pull_request.opened"));

    expect(await verdict(id)).toEqual({ decision: "deny", summary: expect.stringContaining("2 approvals required, 0 given") });
    expect(configRefs()).toEqual(["refs/heads/main"]);
  });

  it("is still judged by the rules on main when it deletes .repol/ altogether", async () => {
    const { id } = await repol.deliver("pull_request", webhook("pull_request.synchronize"));
    expect((await verdict(id)).summary).toContain("2 approvals required, 0 given");
    expect(configRefs()).toEqual(["refs/heads/main"]);
  });

  it("is judged by main's rules even when it targets a branch whose .repol/ allows everything", async () => {
    repol.github.commit("develop", CONFIG_PATH, policyYaml({}));
    const { id } = await repol.deliver(
      "pull_request",
      webhook("pull_request.opened", (p) => void (p.pull_request.base.ref = "develop")),
    );
    expect((await verdict(id)).summary).toContain("2 approvals required, 0 given");
    expect(checkRunsOf(s)[0]!.name).toBe("repol (develop)");
    expect(configRefs()).toEqual(["refs/heads/main"]);
  });

  it("follows the default branch the repository names, whatever it is called", async () => {
    repol.github.defaultBranch = "trunk";
    repol.github.commit("trunk", CONFIG_PATH, policyYaml({ approvals_required: 3 }));
    const { id } = await repol.deliver(
      "pull_request",
      webhook("pull_request.opened", (p) => void (p.repository.default_branch = "trunk")),
    );
    expect((await verdict(id)).summary).toContain("3 approvals required, 0 given");
    expect(configRefs()).toEqual(["refs/heads/trunk"]);
  });

  it("judges a later event by the new rules once the loosening is merged into main", async () => {
    repol.github.commit("feature/login", CONFIG_PATH, policyYaml({ approvals_required: 0 }));
    const before = await repol.deliver("pull_request", webhook("pull_request.opened"));
    expect((await verdict(before.id)).decision).toBe("deny");

    repol.github.commit("main", CONFIG_PATH, policyYaml({ approvals_required: 0 }));
    s.checkRuns.length = 0;
    const after = await repol.deliver("pull_request", webhook("pull_request.synchronize"));
    expect((await verdict(after.id)).decision).toBe("allow");
  });
});

describe("a deployment from a branch that edits .repol/deploy.yaml", () => {
  let repol: RepolUnderTest;
  beforeAll(async () => {
    repol = await startRepol({ routes: scenarioRoutes(passingScenario({ branches: ["main", "loosen-rules"] })) });
    repol.github.commit("main", ".repol/deploy.yaml", passingScenario().config!);
  });
  afterAll(() => repol.close());

  it("is rejected by main's rules even though its own file allows it", async () => {
    repol.github.commit("loosen-rules", ".repol/deploy.yaml", "policy:\n  version: 1\n  environments:\n    production:\n      rules: {}\n");
    repol.github.requests.length = 0;

    const { id } = await repol.deliver(
      "deployment_protection_rule",
      repol.deploymentPayload((p) => void (p.deployment.ref = "loosen-rules")),
    );

    const row = await repol.rowOf(id);
    expect(row.decision).toBe("deny");
    expect(row.violations.map((violation) => violation.code)).toContain("ref.denied");
    expect(refsOf(repol, "/repos/acme/widgets/contents/.repol/deploy.yaml")).toEqual(["refs/heads/main"]);
    expect((await repol.callbacks(1)).map((callback) => callback.state)).toEqual(["rejected"]);
  });
});

/**
 * Refs at which the facts query read `path`, after checking every file it read was at that same one
 * ref, apart from a pull request's `head`, where only the `.repol` YAML files the preview validates are read.
 */
function refsOf(repol: RepolUnderTest, path: string, head?: string): (string | null)[] {
  const all = repol.github.readByGraphQL("config-file");
  const atHead = all.filter((request) => head !== undefined && request.query.get("ref") === head).map((request) => request.path);
  expect(atHead).toEqual(head === undefined ? [] : PREVIEWED.map((file) => `/repos/acme/widgets/contents/${file}`));
  const reads = all.filter((request) => head === undefined || request.query.get("ref") !== head);
  const refs = reads.filter((request) => request.path === path).map((request) => request.query.get("ref"));
  expect(new Set(reads.map((request) => request.query.get("ref")))).toEqual(new Set(refs));
  return refs;
}
