import { afterEach, describe, expect, it } from "vitest";
import { approversOf, latestApprovers, type ReviewLike } from "../../src/core/latest-approvers.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { passingScenario, scenarioRoutes, type PullSpec } from "../helpers/deployment-scenario.js";
import { TestOctokit } from "../helpers/test-probot.js";

const review = (login: string, state: string, minute: number, id = minute): ReviewLike => ({
  id,
  user: { login },
  state,
  submitted_at: new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString(),
});

describe("latestApprovers", () => {
  it.each([
    { name: "counts a single approval", reviews: [review("bob", "APPROVED", 1)], expected: ["bob"] },
    { name: "counts each approver once however often they approved", reviews: [review("bob", "APPROVED", 1), review("bob", "APPROVED", 2)], expected: ["bob"] },
    { name: "keeps an approval followed by a comment", reviews: [review("bob", "APPROVED", 1), review("bob", "COMMENTED", 2)], expected: ["bob"] },
    { name: "drops an approval followed by a change request", reviews: [review("bob", "APPROVED", 1), review("bob", "CHANGES_REQUESTED", 2)], expected: [] },
    { name: "drops a dismissed approval", reviews: [review("bob", "DISMISSED", 1)], expected: [] },
    { name: "counts an approval given after a change request", reviews: [review("bob", "CHANGES_REQUESTED", 1), review("bob", "APPROVED", 2)], expected: ["bob"] },
    { name: "ignores comments alone", reviews: [review("bob", "COMMENTED", 1)], expected: [] },
    { name: "ignores pending (unsubmitted) reviews", reviews: [review("bob", "APPROVED", 1), { user: { login: "bob" }, state: "PENDING", submitted_at: null }], expected: ["bob"] },
    { name: "never counts the author", reviews: [review("alice", "APPROVED", 1), review("bob", "APPROVED", 2)], expected: ["bob"] },
    { name: "never counts the author whatever the login's case", reviews: [review("ALICE", "APPROVED", 1)], expected: [] },
    { name: "treats logins differing in case as one reviewer", reviews: [review("Bob", "APPROVED", 1), review("bob", "CHANGES_REQUESTED", 2)], expected: [] },
    { name: "skips reviews by deleted users", reviews: [{ user: null, state: "APPROVED", submitted_at: "2025-01-01T00:00:00Z" }], expected: [] },
    { name: "orders by submission time, not list order", reviews: [review("bob", "CHANGES_REQUESTED", 5, 2), review("bob", "APPROVED", 1, 1)], expected: [] },
    { name: "lists several approvers sorted", reviews: [review("dave", "APPROVED", 1), review("bob", "APPROVED", 2), review("carol", "APPROVED", 3)], expected: ["bob", "carol", "dave"] },
  ])("$name", ({ reviews, expected }) => {
    expect(latestApprovers(reviews, ["alice"])).toEqual(expected);
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
