import { describe, expect, it } from "vitest";
import { latestApprovers, type ReviewLike } from "../../src/core/latest-approvers.js";

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
    {
      name: "counts an approval given after a change request",
      reviews: [review("bob", "CHANGES_REQUESTED", 1), review("bob", "APPROVED", 2)],
      expected: ["bob"],
    },
    { name: "ignores comments alone", reviews: [review("bob", "COMMENTED", 1)], expected: [] },
    {
      name: "ignores pending (unsubmitted) reviews",
      reviews: [review("bob", "APPROVED", 1), { user: { login: "bob" }, state: "PENDING", submitted_at: null }],
      expected: ["bob"],
    },
    { name: "never counts the author", reviews: [review("alice", "APPROVED", 1), review("bob", "APPROVED", 2)], expected: ["bob"] },
    { name: "never counts the author whatever the login's case", reviews: [review("ALICE", "APPROVED", 1)], expected: [] },
    { name: "treats logins differing in case as one reviewer", reviews: [review("Bob", "APPROVED", 1), review("bob", "CHANGES_REQUESTED", 2)], expected: [] },
    { name: "skips reviews by deleted users", reviews: [{ user: null, state: "APPROVED", submitted_at: "2025-01-01T00:00:00Z" }], expected: [] },
    { name: "orders by submission time, not list order", reviews: [review("bob", "CHANGES_REQUESTED", 5, 2), review("bob", "APPROVED", 1, 1)], expected: [] },
    {
      name: "lists several approvers sorted",
      reviews: [review("dave", "APPROVED", 1), review("bob", "APPROVED", 2), review("carol", "APPROVED", 3)],
      expected: ["bob", "carol", "dave"],
    },
  ])("$name", ({ reviews, expected }) => {
    expect(latestApprovers(reviews, ["alice"])).toEqual(expected);
  });
});
