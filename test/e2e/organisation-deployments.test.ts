// Organisation governance of deployments over HTTP: signed deployment_protection_rule webhooks, GitHub
// faked on 127.0.0.1 with the owner's `.github` repository, the answer read from the callback GitHub got.
import { afterEach, describe, expect, it } from "vitest";
import { DEPLOY_YAML, passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { contentsRoute } from "../helpers/repository-contents.js";
import { startRepol, type RepolUnderTest } from "../security/harness.js";

let repol: RepolUnderTest | undefined;
afterEach(async () => {
  await repol?.close();
  repol = undefined;
});

/** repol with the repository's own deploy.yaml (or none) and the organisation's files. */
async function start(own: string | null, org: Record<string, string>): Promise<RepolUnderTest> {
  repol = await startRepol({ routes: [...scenarioRoutes(passingScenario()), contentsRoute("acme/.github", org, "org-contents")] });
  if (own !== null) repol.github.commit("main", ".repol/deploy.yaml", own);
  return repol;
}

/** A production minimum of three approvals, and an exemption from it for this repository until `expires`. */
function exemptingOrgYaml(expires: string): string {
  const exemption = `{repository: widgets, rules: [approvals_required], environments: [production], reason: incident follow-up, owner: sre-lead, expires: "${expires}"}`;
  return [
    "version: 1",
    "minimums:",
    "  deploy:",
    "    environments:",
    '      "production": {rules: {approvals_required: 3}}',
    "exemptions:",
    `  - ${exemption}`,
    "",
  ].join("\n");
}

async function decide(running: RepolUnderTest) {
  const { id } = await running.deliver("deployment_protection_rule", running.deploymentPayload());
  const row = await running.rowOf(id);
  const [callback] = await running.callbacks(1);
  return { row, callback: callback! };
}

describe("deployments under an organisation policy", () => {
  it("are judged by the organisation's default deploy.yaml when the repository has none", async () => {
    const { row, callback } = await decide(await start(null, { ".repol/deploy.yaml": DEPLOY_YAML }));

    expect(callback.state).toBe("approved");
    expect(row).toMatchObject({ decision: "allow", input: { policy_source: "organisation" } });
  });

  it("are rejected with how to add a policy when there is none at any level", async () => {
    const { row, callback } = await decide(await start(null, {}));

    expect(callback.state).toBe("rejected");
    expect(callback.comment).toContain("the organisation has no default one");
    expect(row.violations.map((v) => v.code)).toEqual(["config.missing"]);
  });

  it("are rejected, saying so, when org.yaml excludes the repository", async () => {
    const { row, callback } = await decide(await start(DEPLOY_YAML, { ".repol/org.yaml": 'version: 1\nscope:\n  exclude: ["widgets"]\n' }));

    expect(callback.state).toBe("rejected");
    expect(callback.comment).toContain("acme/widgets is outside the scope of the organisation's repol policy");
    expect(row.violations.map((v) => v.code)).toEqual(["scope.excluded"]);
  });

  it("meet the organisation's minimum over the repository's looser rule, and the comment says a minimum raised it", async () => {
    const minimum = 'version: 1\nminimums:\n  deploy:\n    environments:\n      "prod*":\n        rules: {approvals_required: 3}\n';
    const { row, callback } = await decide(await start(DEPLOY_YAML, { ".repol/org.yaml": minimum }));

    expect(callback.state).toBe("rejected");
    expect(row.violations.map((v) => v.code)).toEqual(["approvals.insufficient"]);
    expect(callback.comment).toContain("Organisation minimums raised this repository's rules");
    expect(callback.comment).toContain("`approvals_required`: `2` → `3`");
  });

  it("are approved with a warning naming owner and expiry when an exemption covers the only failed rule", async () => {
    // Thirty days ahead of the real date: repol judges exemptions at the time it decides.
    const expires = new Date(Date.now() + 30 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    const org = { ".repol/org.yaml": exemptingOrgYaml(expires) };
    const { row, callback } = await decide(await start(DEPLOY_YAML, org));

    expect(callback.state).toBe("approved");
    expect(callback.comment).toContain("with 1 warning (exempted by the organisation)");
    expect(callback.comment).toContain(`exempted until ${expires} by sre-lead: incident follow-up`);
    expect(row).toMatchObject({
      decision: "allow",
      violations: [],
      exemptions: [expect.objectContaining({ owner: "sre-lead", exempted: ["approvals.insufficient"] })],
    });
  });

  it("are rejected naming the .github file and line when org.yaml does not load (here: an exemption more than a year ahead)", async () => {
    const org = { ".repol/org.yaml": exemptingOrgYaml("2099-01-01") };
    const { row, callback } = await decide(await start(DEPLOY_YAML, org));

    expect(callback.state).toBe("rejected");
    expect(row.violations[0]).toMatchObject({ code: "config.invalid", file: "acme/.github/.repol/org.yaml", line: 7 });
  });
});
