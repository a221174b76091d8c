import { afterEach, describe, expect, it } from "vitest";
import { judgeChecks, type ChecksOptions } from "../../src/core/judge-checks.js";
import { commitChecks } from "../../src/github/commit-checks.js";
import type { GitHub, RepoRef } from "../../src/github/github-client.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { passingScenario, scenarioRoutes, SHA, type CheckRunSpec } from "../helpers/deployment-scenario.js";
import { TestOctokit } from "../helpers/test-probot.js";

/** What the App does with the listed checks: judge them as read. */
async function checksPassed(github: GitHub, repo: RepoRef, sha: string, options: ChecksOptions) {
  const { checkRuns, statuses } = await commitChecks(github, repo, sha);
  return judgeChecks(checkRuns, statuses, options);
}

describe("checksPassed", () => {
  afterEach(resetNock);

  it("pages through all check runs and statuses of the commit", async () => {
    const checkRuns: CheckRunSpec[] = Array.from({ length: 130 }, (_, i) => ({ name: `job-${i}`, conclusion: "success" }));
    checkRuns.push({ name: "flaky", conclusion: "failure" });
    const github = nockGitHub(scenarioRoutes(passingScenario({ checkRuns })));

    const verdict = await checksPassed(new TestOctokit({ auth: "token" }), { owner: "acme", repo: "widgets" }, SHA, {});

    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toBe("failing: flaky (failure)");
    expect(verdict.checks).toHaveLength(132);
    expect(github.calls("check-runs")).toHaveLength(2);
    expect(github.calls("check-runs")[0]!.query.get("filter")).toBe("latest");
    expect(github.calls("statuses")).toHaveLength(1);
  });
});
