// Rule files under .repol/policies and the owner's .github repository, read in the same facts query:
// complete lists, or a problem the caller fails closed on; a .github repository GitHub cannot find
// is absent, never a failed decision, while any other error fails it.
import { afterEach, describe, expect, it } from "vitest";
import { RULE_TREE_DEPTH } from "../../src/github/facts-queries.js";
import { factsOf, query } from "../helpers/facts-repository.js";
import { resetNock } from "../helpers/nock-github.js";

afterEach(() => resetNock());

const DENY = 'package repol.pullrequest.labels\n\ndeny contains "no" if input.pull_request.draft\n';

describe("rule files on the default branch", () => {
  it("lists every .rego file below .repol/policies, nested directories included, with its text and blob SHA", async () => {
    const files = {
      ".repol/policies/labels.rego": DENY,
      ".repol/policies/infra/two.rego": DENY,
      ".repol/policies/README.md": "notes",
      ".repol/pullrequest.yaml": "x",
    };
    const { rules } = await factsOf({ files }).facts.policy(query());
    expect(rules?.problem).toBeNull();
    expect(rules?.files.map(({ path, ref, text }) => ({ path, ref, text }))).toEqual([
      { path: ".repol/policies/infra/two.rego", ref: "refs/heads/main", text: DENY },
      { path: ".repol/policies/labels.rego", ref: "refs/heads/main", text: DENY },
    ]);
    expect(rules?.files[0]?.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("has none, and no problem, when the directory does not exist", async () => {
    expect((await factsOf({}).facts.policy(query())).rules).toEqual({ files: [], problem: null });
  });

  it.each([
    ["a directory nested deeper than the query reads", { [`.repol/policies/${"d/".repeat(RULE_TREE_DEPTH + 1)}deep.rego`]: DENY }, "nested deeper"],
    ["a binary .rego file", { ".repol/policies/blob.rego": new Uint8Array([0, 1, 2]) }, ".repol/policies/blob.rego cannot be read as UTF-8 text"],
    ["a .rego file that is not UTF-8", { ".repol/policies/latin1.rego": new Uint8Array([0x63, 0xe9, 0x0a]) }, "latin1.rego cannot be read"],
    ["a file where the directory should be", { ".repol/policies": DENY }, ".repol/policies on refs/heads/main of acme/widgets is not a directory"],
  ])("reports %s as a problem instead of leaving it out", async (_case, files, problem) => {
    const { rules } = await factsOf({ files: { ".repol/policies/ok.rego": DENY, ...files } }).facts.policy(query());
    expect(rules?.problem).toContain(problem);
  });

  it("reads a directory exactly as deep as the query reaches", async () => {
    const path = `.repol/policies/${"d/".repeat(RULE_TREE_DEPTH)}deepest.rego`;
    const { rules } = await factsOf({ files: { [path]: DENY } }).facts.policy(query());
    expect(rules).toMatchObject({ problem: null, files: [{ path }] });
  });
});

describe("the owner's .github repository", () => {
  it("is null, and the decision's facts still read, when GitHub answers NOT_FOUND for it", async () => {
    const { facts, operations } = factsOf({ org: "absent", files: { ".repol/pullrequest.yaml": "policy: {}\n" } });
    const snapshot = await facts.policy(query());
    expect(snapshot.org).toBeNull();
    expect(snapshot.file?.text).toBe("policy: {}\n");
    expect(operations()).toEqual(["RepolFacts"]);
  });

  it("gives its three policy files and its rule files, from its own default branch", async () => {
    const org = { ".repol/org.yaml": "minimums: {}\n", ".repol/deploy.yaml": "policy: {}\n", ".repol/policies/org.rego": DENY };
    const { org: read } = await factsOf({ org }).facts.policy(query());
    expect(read).toMatchObject({
      repository: "acme/.github",
      defaultBranch: "main",
      files: { deploy: { path: ".repol/deploy.yaml", text: "policy: {}\n" }, pullrequest: null, org: { path: ".repol/org.yaml", text: "minimums: {}\n" } },
      rules: { problem: null, files: [{ path: ".repol/policies/org.rego", text: DENY }] },
    });
  });

  it("fails the facts when GitHub answers any other error for it", async () => {
    await expect(factsOf({ org: "broken" }).facts.policy(query())).rejects.toThrow(
      /GitHub's GraphQL API answered with errors \(GitHub answered 500 resolving \/repos\/acme\/\.github/,
    );
  });
});
