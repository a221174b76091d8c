// The policy in force from the first-stage snapshot: the repository's file, else the organisation's
// default, raised to the organisation's minimums; scope and a broken org.yaml end the decision early.
import { describe, expect, it } from "vitest";
import type { DecisionFacts, OrgPolicies, PolicyFile, PolicySnapshot } from "../../src/core/facts.js";
import { readPolicy } from "../../src/core/read-policy.js";

const NOW = new Date("2025-03-01T12:00:00Z");
const QUERY = { policy: "pullrequest", number: 7, headSha: "a".repeat(40) } as const;
const file = (path: string, text: string, sha = "f".repeat(40)): PolicyFile => ({ path, ref: "refs/heads/main", text, sha });
const rules = (approvals: number) => `policy:\n  version: 1\n  rules:\n    approvals_required: ${approvals}\n`;

function org(files: Partial<OrgPolicies["files"]>): OrgPolicies {
  return {
    repository: "acme/.github",
    defaultBranch: "main",
    files: { deploy: null, pullrequest: null, org: null, ...files },
    rules: { files: [], problem: null },
  };
}

function facts(own: string | null, orgPolicies: OrgPolicies | null): DecisionFacts {
  const snapshot: PolicySnapshot = {
    defaultBranch: "main",
    file: own === null ? null : file(".repol/pullrequest.yaml", own, "1".repeat(40)),
    repository: { fullName: "acme/widgets", owner: "acme", name: "widgets", private: true, defaultBranch: "main", topics: [] },
    org: orgPolicies,
  };
  const none = () => Promise.reject(new Error("the first stage reads no evidence"));
  return { policy: async () => snapshot, deploymentEvidence: none, pullRequestEvidence: none };
}

describe("readPolicy", () => {
  it("uses the repository's own file when it has one, recorded as its source", async () => {
    const read = await readPolicy(facts(rules(1), org({ pullrequest: file(".repol/pullrequest.yaml", rules(3)) })), QUERY, NOW);
    expect(read).toMatchObject({ kind: "valid", source: "repository", configSha: "1".repeat(40), config: { policy: { rules: { approvals_required: 1 } } } });
  });

  it("uses the organisation's default when the repository has none, with the default's SHA", async () => {
    const read = await readPolicy(facts(null, org({ pullrequest: file(".repol/pullrequest.yaml", rules(3), "2".repeat(40)) })), QUERY, NOW);
    expect(read).toMatchObject({ kind: "valid", source: "organisation", configSha: "2".repeat(40), config: { policy: { rules: { approvals_required: 3 } } } });
  });

  it("raises the repository's rule to the organisation's minimum and lists what it raised", async () => {
    const orgYaml = file(".repol/org.yaml", "version: 1\nminimums:\n  pullrequest:\n    rules: {approvals_required: 2}\n", "3".repeat(40));
    const read = await readPolicy(facts(rules(1), org({ org: orgYaml })), QUERY, NOW);
    expect(read).toMatchObject({ kind: "valid", config: { policy: { rules: { approvals_required: 2 } } }, org: { configSha: "3".repeat(40) } });
    expect(read.kind === "valid" && read.tightened).toEqual([
      { rule: "approvals_required", from: 1, to: 2, because: "organisation minimum for pull requests" },
    ]);
  });

  it("is missing when neither the repository nor the organisation has a file", async () => {
    expect(await readPolicy(facts(null, org({})), QUERY, NOW)).toMatchObject({ kind: "missing", path: ".repol/pullrequest.yaml" });
    expect(await readPolicy(facts(null, null), QUERY, NOW)).toMatchObject({ kind: "missing", org: null });
  });

  it("is invalid, naming the .github file and line, when org.yaml does not load, whatever the repository's file says", async () => {
    const read = await readPolicy(facts(rules(1), org({ org: file(".repol/org.yaml", "version: 1\nscope: {exclude: 3}\n") })), QUERY, NOW);
    expect(read.kind).toBe("invalid");
    expect(read.kind === "invalid" && read.errors[0]).toMatchObject({ file: "acme/.github/.repol/org.yaml", line: 2 });
  });

  it("is invalid, naming the .github file, when the organisation's default does not load", async () => {
    const read = await readPolicy(
      facts(null, org({ pullrequest: file(".repol/pullrequest.yaml", "policy:\n  version: 1\n  rules:\n    aprovals: 1\n") })),
      QUERY,
      NOW,
    );
    expect(read.kind === "invalid" && read.errors[0]).toMatchObject({ file: "acme/.github/.repol/pullrequest.yaml", line: 4 });
  });

  it("is excluded when org.yaml's scope leaves the repository out", async () => {
    const read = await readPolicy(facts(rules(1), org({ org: file(".repol/org.yaml", 'version: 1\nscope:\n  include: ["api-*"]\n') })), QUERY, NOW);
    expect(read).toMatchObject({ kind: "excluded", repository: "acme/widgets" });
  });
});
