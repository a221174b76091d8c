// The pull request facts as read from GitHub (every page), judged as the App judges them.
import { afterEach, describe, expect, it } from "vitest";
import { judgePullSignOff, judgeSignOff } from "../../src/core/judge-sign-off.js";
import { approversOf as approversAmong } from "../../src/core/latest-approvers.js";
import type { GitHub, RepoRef } from "../../src/github/github-client.js";
import { readCommit, readPullCommits, readReviews } from "../../src/github/read-pull-facts.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { passingScenario, scenarioRoutes, signedOff, SHA, type PullSpec } from "../helpers/deployment-scenario.js";
import { TestOctokit } from "../helpers/test-probot.js";

const EMAIL = "alice@example.com";
const repo = { owner: "acme", repo: "widgets" };

async function approversOf(github: GitHub, where: RepoRef, number: number, author: string | null) {
  return approversAmong({ reviews: await readReviews(github, where, number), author });
}

async function pullSignedOff(github: GitHub, where: RepoRef, number: number, commitCount: number) {
  return judgePullSignOff({ number, commitCount, commits: await readPullCommits(github, where, number) });
}

async function commitSignedOff(github: GitHub, where: RepoRef, sha: string) {
  return judgeSignOff([await readCommit(github, where, sha)]);
}

describe("pullSignedOff", () => {
  afterEach(resetNock);
  const github = () => new TestOctokit({ auth: "token" });

  it("checks every commit across pages", async () => {
    const commits = Array.from({ length: 150 }, () => signedOff(EMAIL));
    commits[140] = { message: "Quick fix", email: EMAIL };
    const api = nockGitHub(scenarioRoutes(passingScenario({ pulls: [{ number: 9, author: "alice", commits }] })));

    const verdict = await pullSignedOff(github(), repo, 9, 150);

    expect(verdict).toMatchObject({ signedOff: false, checked: 150 });
    expect(verdict.unsigned).toHaveLength(1);
    expect(api.calls("pull-commits")).toHaveLength(2);
  });

  it("fails closed when GitHub cannot list all of a pull request's commits (over 250)", async () => {
    const commits = Array.from({ length: 300 }, () => signedOff(EMAIL));
    nockGitHub(scenarioRoutes(passingScenario({ pulls: [{ number: 9, author: "alice", commits }] })));

    const verdict = await pullSignedOff(github(), repo, 9, 300);

    expect(verdict.signedOff).toBe(false);
    expect(verdict.checked).toBe(250);
    expect(verdict.reason).toContain("#9 has 300 commits but GitHub lists only 250");
  });

  it("checks the deployed commit itself when there is no pull request", async () => {
    nockGitHub(scenarioRoutes(passingScenario({ commit: { message: "Hotfix", email: EMAIL } })));
    const verdict = await commitSignedOff(github(), repo, SHA);
    expect(verdict).toMatchObject({ signedOff: false, checked: 1 });
  });
});

describe("approversOf", () => {
  afterEach(resetNock);

  it("reads every page of reviews, so a change request on page 3 cancels an approval on page 1", async () => {
    const reviews: NonNullable<PullSpec["reviews"]> = [["bob", "APPROVED", 0]];
    for (let i = 1; i <= 118; i++) reviews.push([`reviewer${i}`, "COMMENTED", i]);
    reviews.push(["bob", "CHANGES_REQUESTED", 200], ["carol", "APPROVED", 201]);
    const github = nockGitHub(scenarioRoutes(passingScenario({ pulls: [{ number: 7, author: "alice", reviews }] })));

    const approvers = await approversOf(new TestOctokit({ auth: "token" }), { owner: "acme", repo: "widgets" }, 7, "alice");

    expect(approvers).toEqual(["carol"]);
    expect(github.calls("reviews").map((call) => call.query.get("page") ?? "1")).toEqual(["1", "2"]);
    expect(github.calls("reviews")[0]!.query.get("per_page")).toBe("100");
  });

  it("says which pull request it was reading when GitHub fails", async () => {
    nockGitHub(scenarioRoutes(passingScenario({ fail: { reviews: 502 } })));
    await expect(approversOf(new TestOctokit({ auth: "token" }), { owner: "acme", repo: "widgets" }, 42, "alice")).rejects.toThrow(
      /GitHub answered 502 .* while reading reviews of acme\/widgets#42/,
    );
  });
});
