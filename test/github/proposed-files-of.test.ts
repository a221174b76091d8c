// The head's `.repol` files a policy preview validates, read by the facts query itself (octokitFacts
// over the GraphQL fake): no request of their own, and none at all for a fork's head.
import { afterEach, describe, expect, it } from "vitest";
import { changedPolicyPaths } from "../../src/github/proposed-files-of.js";
import { factsOf, query } from "../helpers/facts-repository.js";
import { resetNock } from "../helpers/nock-github.js";

afterEach(() => resetNock());

const HEAD_FILES = {
  ".repol/pullrequest.yaml": "version: 1\nrules: {approvals_required: 2}\n",
  ".repol/deploy.yaml": "version: 1\nenvironments: {}\n",
};

describe("the proposed .repol files of a pull request's head", () => {
  it("come with the facts query: the changed YAML files' text, an unknown path empty, rule files left to their own checks", async () => {
    const { facts, operations } = factsOf({ files: HEAD_FILES, proposedPolicy: true });
    await facts.policy(query());

    const files = await facts.proposedFiles(query(), [".repol/pullrequest.yaml", ".repol/notes.md", ".repol/policies/size.rego"]);

    expect(files).toEqual({ ".repol/pullrequest.yaml": HEAD_FILES[".repol/pullrequest.yaml"], ".repol/notes.md": "" });
    expect(operations()).toEqual(["RepolFacts"]);
  });

  it("are refused when the query was not asked for them (a fork's head), rather than read as absent", async () => {
    const { facts, operations } = factsOf({ files: HEAD_FILES });

    await expect(facts.proposedFiles(query(), [".repol/deploy.yaml"])).rejects.toThrow(
      /the facts query holds none of the proposed \.repol files .*not asked for them/,
    );
    expect(operations()).toEqual(["RepolFacts"]);
  });

  it("are refused when GitHub fails to give them, while the facts the verdict rests on are still read", async () => {
    const { facts, operations } = factsOf({ files: HEAD_FILES, proposedPolicy: true, failingAtHead: true });

    const snapshot = await facts.policy(query());

    expect(snapshot.file).toMatchObject({ path: ".repol/pullrequest.yaml", text: HEAD_FILES[".repol/pullrequest.yaml"] });
    await expect(facts.proposedFiles(query(), [".repol/deploy.yaml"])).rejects.toThrow(/GitHub failed to give them/);
    expect(operations()).toEqual(["RepolFacts"]);
  });

  it("leave out a changed path the head no longer has, so the preview reads nothing for it", async () => {
    const { facts } = factsOf({ files: { ".repol/deploy.yaml": HEAD_FILES[".repol/deploy.yaml"] }, proposedPolicy: true });

    expect(await facts.proposedFiles(query(), [".repol/org.yaml", ".repol/deploy.yaml"])).toEqual({ ".repol/deploy.yaml": HEAD_FILES[".repol/deploy.yaml"] });
  });

  it("are the changed paths below .repol/ that the change keeps", () => {
    const listed = [
      { path: ".repol/deploy.yaml", removed: false },
      { path: ".repol/org.yaml", removed: true },
      { path: "src/app.ts", removed: false },
    ];
    expect(changedPolicyPaths(listed)).toEqual([".repol/deploy.yaml"]);
  });
});
