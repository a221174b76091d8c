import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { editLeavesVerdict, readPullRequestUnderReview } from "../../src/webhooks/read-pull-request.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), "utf8"));

describe("readPullRequestUnderReview", () => {
  it("judges a pull request from a fork in the base repository, with the fork named as its head", () => {
    const payload = fixture("pull_request.opened.fork");
    const pr = readPullRequestUnderReview(payload);
    expect(pr).toMatchObject({ owner: payload.repository.owner.login, repo: payload.repository.name, defaultBranch: payload.repository.default_branch });
    expect(pr.headRepo).toBe(payload.pull_request.head.repo.full_name);
    expect(pr.headRepo).not.toBe(payload.repository.full_name);
  });
});

describe("editLeavesVerdict", () => {
  it.each([
    { name: "a title edit", event: "pull_request", payload: fixture("pull_request.edited.title"), leaves: true },
    { name: "a base branch change", event: "pull_request", payload: fixture("pull_request.edited.base"), leaves: false },
    { name: "an opened pull request", event: "pull_request", payload: fixture("pull_request.opened"), leaves: false },
    { name: "an edited review", event: "pull_request_review", payload: { action: "edited", changes: { body: { from: "x" } } }, leaves: false },
  ])("$name: leaves the verdict as it is → $leaves", ({ event, payload, leaves }) => {
    expect(editLeavesVerdict(event, payload)).toBe(leaves);
  });
});
