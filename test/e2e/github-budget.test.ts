// GitHub calls per event, counted as every HTTP request the fake GitHub receives (token requests,
// pages and the answer included), with repol configured as for GitHub Enterprise Server (GHE_HOST:
// REST under /api/v3, GraphQL at /api/graphql): at most 4 for an event on a cold process, 2 warm,
// custom rules (the repository's and the organisation's) included.
import { afterEach, describe, expect, it } from "vitest";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import type { AuditRecord } from "../../src/audit/record.js";
import {
  checkRunsOf,
  policyYaml,
  pullOf,
  scenario,
  scenarioRoutes as prScenarioRoutes,
  webhook,
  type PullRequestScenario,
} from "../helpers/pull-request-scenario.js";
import { paged } from "../helpers/github-router.js";
import { contentsRoute } from "../helpers/repository-contents.js";
import { startRepol, type RepolUnderTest } from "../security/harness.js";

let repol: RepolUnderTest | undefined;
afterEach(async () => {
  await repol?.close();
  repol = undefined;
});

/** The requests one delivery made: what `act` left in the fake's log. */
async function requestsOf(github: RepolUnderTest["github"], act: () => Promise<void>): Promise<string[]> {
  github.requests.length = 0;
  await act();
  return github.requests.map((request) => `${request.method} ${request.route} ${request.path}`);
}

/**
 * #42 opened (cold: the token, one facts query, the check run created) and then approved (warm: the
 * query and one check run write); `check` looks at each event's audit row.
 */
async function expectColdAndWarmBudget(running: RepolUnderTest, s: PullRequestScenario, check: (row: AuditRecord) => void = () => {}): Promise<void> {
  const judge = (event: string, payload: Record<string, unknown>, conclusion: string) => async () => {
    const { id } = await running.deliver(event, payload);
    check(await running.rowOf(id));
    await eventually(`the check run to conclude ${conclusion}`, () => checkRunsOf(s)[0]?.conclusion === conclusion);
  };

  const cold = await requestsOf(running.github, judge("pull_request", webhook("pull_request.opened"), "failure"));
  pullOf(s, 42).reviews = [["bob", "APPROVED"]];
  const warm = await requestsOf(running.github, judge("pull_request_review", webhook("pull_request_review.submitted.approved"), "success"));

  expect(cold).toEqual([
    "POST installation-token /app/installations/4242/access_tokens",
    "POST graphql /api/graphql",
    "POST create-check-run /repos/acme/widgets/check-runs",
  ]);
  expect(warm).toEqual(["POST graphql /api/graphql", `PATCH update-check-run /repos/acme/widgets/check-runs/${checkRunsOf(s)[0]!.id}`]);
}

/** Two deployments decided as `row` says: the token, one facts query and the callback cold; the query and the callback warm. */
async function expectDeploymentCalls(running: RepolUnderTest, row: Record<string, unknown>): Promise<void> {
  // The fake's request log is emptied before each delivery, so each waits for its own one callback.
  const decide = async () => {
    const { id } = await running.deliver("deployment_protection_rule", running.deploymentPayload());
    expect(await running.rowOf(id)).toMatchObject(row);
    await running.callbacks(1);
  };

  const cold = await requestsOf(running.github, decide);
  const warm = await requestsOf(running.github, decide);

  expect(cold).toEqual([
    "POST installation-token /app/installations/52345678/access_tokens",
    "POST graphql /api/graphql",
    "POST callback /repos/acme/widgets/actions/runs/7654321098/deployment_protection_rule",
  ]);
  expect(warm).toEqual(["POST graphql /api/graphql", "POST callback /repos/acme/widgets/actions/runs/7654321098/deployment_protection_rule"]);
}

describe("GitHub calls per deployment decision", () => {
  it("are the token, one facts query and the callback cold, and the query and the callback warm", async () => {
    repol = await startRepol({ routes: scenarioRoutes(passingScenario()) });
    repol.github.commit("main", ".repol/deploy.yaml", passingScenario().config!);
    await expectDeploymentCalls(repol, { decision: "allow" });
  });
});

describe("GitHub calls per pull request event", () => {
  it("are the token, one facts query and the check run cold, and the query and one check run write warm", async () => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 1, signed_off: true }) } });
    repol = await startRepol({ routes: prScenarioRoutes(s) });
    const running = repol;
    running.github.commit("main", ".repol/pullrequest.yaml", s.configs.main!);
    await expectColdAndWarmBudget(running, s);
  });

  it("cost one more request per extra page of reviews beyond the first 100", async () => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 1 }) } });
    pullOf(s, 42).reviews = Array.from({ length: 150 }, (_, i) => [`reviewer-${i}`, "COMMENTED"] as [string, "COMMENTED"]);
    repol = await startRepol({ routes: prScenarioRoutes(s) });
    const running = repol;
    running.github.commit("main", ".repol/pullrequest.yaml", s.configs.main!);

    const requests = await requestsOf(running.github, async () => {
      await running.rowOf((await running.deliver("pull_request", webhook("pull_request.opened"))).id);
      await eventually("the check run", () => checkRunsOf(s)[0]?.status === "completed");
    });

    expect(requests.filter((request) => request.startsWith("POST graphql"))).toHaveLength(2);
    expect(requests).toHaveLength(4);
  });

  it("stay within the budget when the repository and its organisation have custom rules to judge", async () => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 1 }) } });
    repol = await startRepol({ routes: prScenarioRoutes(s) });
    const running = repol;
    const rule = (pkg: string, msg: string) => `package repol.pullrequest.${pkg}\n\nwarn contains "${msg}" if input.pull_request.number > 0\n`;
    running.github.use(
      contentsRoute("acme/widgets", { ".repol/pullrequest.yaml": s.configs.main!, ".repol/policies/own.rego": rule("own", "repository rule") }),
      contentsRoute("acme/.github", { ".repol/policies/org.rego": rule("org", "organisation rule") }, "org-contents"),
    );
    await expectColdAndWarmBudget(running, s, (row) => expect(row.warnings.map((warning) => warning.msg)).toEqual(["repository rule", "organisation rule"]));
  });

  // 150 changed files: the first 100 come with the facts query; the rest cost a request only when a rule file could read them.
  it.each([
    ["no rule file can read them: the list is marked truncated, no further request", {}, { requests: 3, listed: 100, truncated: true }],
    [
      "a rule file can read them: one more request",
      { ".repol/policies/size.rego": "package repol.pullrequest.size\n" },
      { requests: 4, listed: 150, truncated: false },
    ],
  ])("with 150 changed files, when %s", async (_case, ruleFiles, expected) => {
    const s = scenario({ configs: { main: policyYaml({ approvals_required: 1 }) } });
    repol = await startRepol({ routes: prScenarioRoutes(s) });
    const running = repol;
    const files = Array.from({ length: 150 }, (_, i) => ({ filename: `src/f${i}.ts`, status: "modified", additions: 1, deletions: 1 }));
    running.github.use(contentsRoute("acme/widgets", { ".repol/pullrequest.yaml": s.configs.main!, ...ruleFiles }), {
      name: "pull-files",
      method: "GET",
      path: /^\/repos\/acme\/widgets\/pulls\/42\/files$/,
      reply: (request) => paged(request, files),
    });

    const requests = await requestsOf(running.github, async () => {
      const { id } = await running.deliver("pull_request", webhook("pull_request.opened"));
      const { pull_request: pull } = (await running.rowOf(id)).input as { pull_request: { changed_files: unknown[]; changed_files_truncated: boolean } };
      expect(pull.changed_files).toHaveLength(expected.listed);
      expect(pull.changed_files_truncated).toBe(expected.truncated);
      await eventually("the check run", () => checkRunsOf(s)[0]?.status === "completed");
    });

    expect(requests.filter((request) => request.startsWith("POST graphql"))).toHaveLength(expected.requests - 2);
    expect(requests).toHaveLength(expected.requests);
  });
});

describe("GitHub calls per event with an organisation policy in force", () => {
  const ORG_YAML =
    'version: 1\nminimums:\n  deploy:\n    environments:\n      "prod*": {rules: {approvals_required: 2}}\n  pullrequest:\n    rules: {approvals_required: 1}\n';

  it("stay the token, one facts query and the callback cold, the query and the callback warm, for a deployment", async () => {
    repol = await startRepol({
      routes: [
        ...scenarioRoutes(passingScenario()),
        contentsRoute("acme/.github", { ".repol/org.yaml": ORG_YAML, ".repol/deploy.yaml": passingScenario().config! }, "org"),
      ],
    });
    await expectDeploymentCalls(repol, { decision: "allow", input: { policy_source: "organisation" } });
  });

  /** repol with the organisation's pull request policy in force and #42 open on acme/widgets; `judge` delivers and waits for the check runs. */
  async function withOrganisationPolicy() {
    const s = scenario({ configs: {} });
    const org = { ".repol/org.yaml": ORG_YAML, ".repol/pullrequest.yaml": policyYaml({ approvals_required: 1 }) };
    repol = await startRepol({ routes: [...prScenarioRoutes(s), contentsRoute("acme/.github", org, "org")] });
    const running = repol;
    const judge = (event: string, payload: Record<string, unknown>, conclusions: string[]) => async () => {
      await running.rowOf((await running.deliver(event, payload)).id);
      await eventually(
        `check runs concluding ${conclusions.join(", ")}`,
        () =>
          checkRunsOf(s)
            .map((run) => run.conclusion)
            .join() === conclusions.join(),
      );
    };
    // #42 changes `.repol/deploy.yaml`, so it gets a policy preview.
    const proposeDeployChange = () =>
      running.github.use({
        name: "pull-files",
        method: "GET",
        path: /^\/repos\/acme\/widgets\/pulls\/42\/files$/,
        reply: (request) => paged(request, [{ filename: ".repol/deploy.yaml", status: "added", additions: 3, deletions: 0 }]),
      });
    return { s, running, judge, proposeDeployChange };
  }

  it("stay three cold and two warm for a pull request; the preview of a .repol change adds only its check run", async () => {
    const { s, running, judge, proposeDeployChange } = await withOrganisationPolicy();

    await expectColdAndWarmBudget(running, s);
    proposeDeployChange();
    const preview = await requestsOf(running.github, judge("pull_request", webhook("pull_request.synchronize"), ["success", "neutral"]));

    expect(preview).toEqual([
      "POST graphql /api/graphql",
      `PATCH update-check-run /repos/acme/widgets/check-runs/${checkRunsOf(s)[0]!.id}`,
      "POST create-check-run /repos/acme/widgets/check-runs",
    ]);
  });

  it("stay three cold for a pull request whose first event already needs a preview, plus the preview's check run", async () => {
    const { running, judge, proposeDeployChange } = await withOrganisationPolicy();
    proposeDeployChange();

    const cold = await requestsOf(running.github, judge("pull_request", webhook("pull_request.opened"), ["failure", "neutral"]));

    expect(cold).toEqual([
      "POST installation-token /app/installations/4242/access_tokens",
      "POST graphql /api/graphql",
      "POST create-check-run /repos/acme/widgets/check-runs",
      "POST create-check-run /repos/acme/widgets/check-runs",
    ]);
  });
});
