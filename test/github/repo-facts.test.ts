// The facts rules read, as the one facts query gathers them from GitHub (faked over HTTP, answering
// from GitHub's published schema): the repository, a pull request's details and changed files, the
// rule files under .repol/policies and the owner's .github policies, and what each costs in requests.
import { afterEach, describe, expect, it } from "vitest";
import { factsOf, HEAD, query, STATUSES } from "../helpers/facts-repository.js";
import { resetNock } from "../helpers/nock-github.js";

afterEach(() => resetNock());

describe("the repository and pull request facts", () => {
  it("reads the repository's full name, owner, privacy, default branch and topics", async () => {
    const { facts } = factsOf({});
    expect((await facts.policy(query())).repository).toEqual({
      fullName: "acme/widgets",
      owner: "acme",
      name: "widgets",
      private: true,
      defaultBranch: "main",
      topics: ["payments", "pci"],
    });
  });

  it("reads the title, body, labels, draft state and refs, and names changed files' status as REST does", async () => {
    const { facts } = factsOf({ changedFiles: 6 });
    await facts.policy(query());
    const { details } = await facts.pullRequestEvidence(query());
    expect(details).toEqual({
      title: "Move the ledger to infra/",
      body: "",
      labels: ["do-not-merge", "infra"],
      draft: true,
      base: "main",
      head: "feature/ledger",
      headSha: HEAD,
      additions: 120,
      deletions: 30,
      changedFiles: STATUSES.map((status, i) => ({ path: `src/file-${i}.ts`, status, additions: i, deletions: 1 })),
      changedFilesTruncated: false,
    });
  });

  it("reads the first 100 of 150 changed files in the one query and marks the list truncated when no rule wants them all", async () => {
    const { facts, operations } = factsOf({ changedFiles: 150 });
    await facts.policy(query());
    const { details } = await facts.pullRequestEvidence(query(false));
    expect(details?.changedFiles).toHaveLength(100);
    expect(details?.changedFilesTruncated).toBe(true);
    expect(operations()).toEqual(["RepolFacts"]);
  });

  it("reads all 150 changed files with one more request when a rule wants them", async () => {
    const { facts, operations } = factsOf({ changedFiles: 150 });
    await facts.policy(query(true));
    const { details } = await facts.pullRequestEvidence(query(true));
    expect(details?.changedFiles.map((file) => file.path)).toEqual(Array.from({ length: 150 }, (_, i) => `src/file-${i}.ts`));
    expect(details?.changedFilesTruncated).toBe(false);
    expect(operations()).toEqual(["RepolFacts", "RepolFilesPage"]);
  });

  it("marks the list truncated when GitHub counts more changed files than the 3,000 it lists", async () => {
    const { facts } = factsOf({ changedFiles: 3500, listedFiles: 120 });
    await facts.policy(query(true));
    const { details } = await facts.pullRequestEvidence(query(true));
    expect(details?.changedFiles).toHaveLength(120);
    expect(details?.changedFilesTruncated).toBe(true);
  });

  it("fails rather than drop labels when GitHub gives more than one page of them", async () => {
    const { facts } = factsOf({ labels: Array.from({ length: 101 }, (_, i) => `label-${i}`) });
    await facts.policy(query());
    await expect(facts.pullRequestEvidence(query())).rejects.toThrow("acme/widgets#7 has more labels than the 100 repol reads");
  });
});
