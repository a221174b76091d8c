// The custom rules step of a decision, with the engine handed in as the decision receives it: which
// sets are judged, how their findings and errors join the verdict, and that nothing fails open.
import { describe, expect, it } from "vitest";
import { applyCustomRules, NO_CUSTOM_ENGINE, withCustomRules, type CustomRuleEvaluator } from "../../src/core/apply-custom-rules.js";
import type { PolicyFile, PolicySnapshot, RuleFiles } from "../../src/core/facts.js";
import type { CustomRulesResult, RuleFile } from "../../src/policy/custom/custom-rule-types.js";

const file = (path: string, text: string | Uint8Array = "package repol.pullrequest.x\n"): PolicyFile => ({
  path,
  ref: "refs/heads/main",
  text,
  sha: "f".repeat(40),
});
const rules = (files: PolicyFile[], problem: string | null = null): RuleFiles => ({ files, problem });

function snapshot(repo: RuleFiles, org?: RuleFiles): PolicySnapshot {
  const repository = { fullName: "acme/widgets", owner: "acme", name: "widgets", private: true, defaultBranch: "main", topics: [] };
  const orgPolicies = org && { repository: "acme/.github", defaultBranch: "main", files: { deploy: null, pullrequest: null, org: null }, rules: org };
  return { defaultBranch: "main", file: null, repository, rules: repo, org: orgPolicies ?? null };
}

/** Answers each call from `answer`, keeping what it was asked. */
function engine(answer: (files: readonly RuleFile[]) => CustomRulesResult): CustomRuleEvaluator & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    evaluate: async (_policy, files) => {
      calls.push(files.map((f) => f.path));
      return answer(files);
    },
  };
}

const finding = (pkg: string, msg: string, enforcement: "block" | "warn" = "block") => ({ code: `custom.${pkg}`, msg, package: pkg, enforcement });
const passed = (
  files: readonly RuleFile[],
  blocking = [] as ReturnType<typeof finding>[],
  warnings = [] as ReturnType<typeof finding>[],
): CustomRulesResult => ({
  ok: true,
  digest: `digest-of-${files[0]!.path}`,
  files: files.map(({ path, sha }) => ({ path, sha })),
  findings: { blocking, warnings },
});
const allowed = { outcome: "allow" as const, violations: [], warnings: [], error: null };

describe("applyCustomRules", () => {
  it("is nothing at all when neither the repository nor its organisation has rule files", async () => {
    const judge = engine(() => {
      throw new Error("not asked");
    });
    expect(await applyCustomRules("pullrequest", snapshot(rules([]), rules([])), {}, judge)).toBeNull();
    expect(judge.calls).toEqual([]);
  });

  it("judges the repository's set and the organisation's apart, marking the organisation's findings", async () => {
    const judge = engine((files) =>
      files[0]!.path === "a.rego"
        ? passed(files, [], [finding("repol.pullrequest.a", "own warning", "warn")])
        : passed(files, [finding("repol.pullrequest.o", "org says no")]),
    );
    const applied = await applyCustomRules("pullrequest", snapshot(rules([file("a.rego")]), rules([file("o.rego")])), {}, judge);

    expect(judge.calls).toEqual([["a.rego"], ["o.rego"]]);
    expect(applied!.sources).toEqual([
      { origin: "repository", repository: "acme/widgets", digest: "digest-of-a.rego", files: [{ path: "a.rego", sha: "f".repeat(40) }] },
      { origin: "organisation", repository: "acme/.github", digest: "digest-of-o.rego", files: [{ path: "o.rego", sha: "f".repeat(40) }] },
    ]);
    const verdict = withCustomRules(allowed, applied);
    expect(verdict.outcome).toBe("deny");
    expect(verdict.violations).toEqual([{ ...finding("repol.pullrequest.o", "org says no"), organisation: "acme/.github" }]);
    expect(verdict.warnings).toEqual([finding("repol.pullrequest.a", "own warning", "warn")]);
  });

  it.each([
    ["a rule file the facts could not read", snapshot(rules([file("a.rego")], "x.rego is a symlink")), /cannot read every rule file.*x\.rego is a symlink/],
    ["a file that is not UTF-8", snapshot(rules([file("a.rego", new Uint8Array([0xff, 0xfe]))])), /a\.rego is not UTF-8 text/],
  ])("fails closed without asking the engine on %s", async (_case, facts, message) => {
    const judge = engine(passed);
    const verdict = withCustomRules(allowed, await applyCustomRules("pullrequest", facts, {}, judge));
    expect(judge.calls).toEqual([]);
    expect(verdict).toMatchObject({ outcome: "error", error: expect.stringMatching(message) });
  });

  it("fails closed when there is no engine to judge the rule files", async () => {
    const verdict = withCustomRules(allowed, await applyCustomRules("deploy", snapshot(rules([file("a.rego")])), {}, undefined));
    expect(verdict).toMatchObject({ outcome: "error", error: expect.stringContaining(NO_CUSTOM_ENGINE) });
  });

  it("ends in an error naming file, line, column and package when the engine reports one, whatever else passed", async () => {
    const judge = engine((files) =>
      files[0]!.path === "a.rego"
        ? passed(files)
        : { ok: false, digest: "d", errors: [{ file: ".repol/policies/o.rego", line: 3, column: 7, message: "rego_parse_error", package: "repol.deploy.o" }] },
    );
    const applied = await applyCustomRules("deploy", snapshot(rules([file("a.rego")]), rules([file("o.rego")])), {}, judge);
    const verdict = withCustomRules(allowed, applied);
    expect(verdict.outcome).toBe("error");
    expect(verdict.error).toBe("custom rules could not be applied: acme/.github .repol/policies/o.rego:3:7: rego_parse_error (repol.deploy.o)");
    expect(verdict.customRules?.errors).toEqual([expect.objectContaining({ origin: "organisation", line: 3 })]);
  });

  it("fails closed when the engine throws despite its promise", async () => {
    const judge = engine(() => {
      throw new Error("worker vanished");
    });
    const verdict = withCustomRules(allowed, await applyCustomRules("pullrequest", snapshot(rules([file("a.rego")])), {}, judge));
    expect(verdict).toMatchObject({ outcome: "error", error: expect.stringContaining("worker vanished") });
  });
});
