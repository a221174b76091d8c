import { afterEach, describe, expect, it } from "vitest";
import type { CustomRulesResult } from "../../../src/policy/custom/custom-rule-types.js";
import { rulesOf, testCustomRules, type CountedRules } from "./custom-rules-fixture.js";

let rules: CountedRules;
afterEach(async () => {
  await rules?.close();
});

function errorsOf(result: CustomRulesResult) {
  if (result.ok) throw new Error(`expected errors, got findings ${JSON.stringify(result.findings)}`);
  return result.errors;
}

describe("custom rules", () => {
  it("reports deny and violation as blocking and warn as a warning, each naming its package", async () => {
    rules = testCustomRules();
    const input = { environment: "production", weekday: "friday", pull_requests: [{ labels: ["do-not-merge"] }] };
    const result = await rules.evaluate("deploy", rulesOf("findings"), input);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.findings.blocking).toEqual([
      { code: "custom.repol.deploy.labels", msg: "production deploys need the change-approved label", package: "repol.deploy.labels", enforcement: "block" },
      {
        code: "labels.do_not_merge",
        msg: "the do-not-merge label is set",
        package: "repol.deploy.labels",
        enforcement: "block",
        file: ".repol/policies/labels.rego",
        line: 14,
      },
    ]);
    expect(result.findings.warnings).toEqual([
      { code: "custom.repol.deploy.labels", msg: "deploying on a Friday", weekday: "friday", package: "repol.deploy.labels", enforcement: "warn" },
    ]);
    expect(result.files.map((file) => file.path)).toEqual([".repol/policies/labels.rego", ".repol/policies/lib/labels.rego", ".repol/policies/size.rego"]);
    expect(result.files.every((file) => /^[0-9a-f]{40}$/.test(file.sha))).toBe(true);
  });

  it("applies only the packages of the policy asked for", async () => {
    rules = testCustomRules();
    const result = await rules.evaluate("pullrequest", rulesOf("findings"), { pull_request: { additions: 900 } });

    expect(result).toMatchObject({
      ok: true,
      findings: { blocking: [], warnings: [{ package: "repol.pullrequest.size", msg: "this pull request adds 900 lines; consider splitting it" }] },
    });
  });

  it("compiles a set of sources once: concurrent and later evaluations reuse the module", async () => {
    rules = testCustomRules();
    const files = rulesOf("findings");
    const first = await Promise.all([1, 2, 3].map(() => rules.evaluate("deploy", files, { environment: "staging", pull_requests: [] })));
    const later = await rules.evaluate("deploy", files, { environment: "production", pull_requests: [] });

    expect(rules.compiles).toHaveLength(1);
    expect(first.every((result) => result.ok && result.findings.blocking.length === 0)).toBe(true);
    expect(later).toMatchObject({ ok: true, digest: first[0]!.digest, findings: { blocking: [{ package: "repol.deploy.labels" }] } });
  });

  it("compiles again when a source changes, and per policy", async () => {
    rules = testCustomRules();
    const files = rulesOf("findings");
    const changed = files.map((file) => (file.path.endsWith("size.rego") ? { ...file, text: `${file.text}\n# edited\n` } : file));
    const digests = [
      (await rules.evaluate("deploy", files, {})).digest,
      (await rules.evaluate("deploy", changed, {})).digest,
      (await rules.evaluate("pullrequest", files, { pull_request: { additions: 1 } })).digest,
    ];

    expect(new Set(digests).size).toBe(3);
    expect(rules.compiles).toEqual(digests);
  });

  it("reports a syntax error with the repository path, line and column", async () => {
    rules = testCustomRules();
    const errors = errorsOf(await rules.evaluate("pullrequest", rulesOf("syntax-error"), {}));

    expect(errors).toEqual([{ file: ".repol/policies/broken.rego", line: 5, column: 1, message: expect.stringMatching(/unexpected } token/) }]);
  });

  it("refuses http.send at compile time, naming the builtin, file and line", async () => {
    rules = testCustomRules();
    const errors = errorsOf(await rules.evaluate("pullrequest", rulesOf("http-send"), {}));

    expect(errors).toEqual([
      {
        file: ".repol/policies/fetch.rego",
        line: 4,
        column: expect.any(Number),
        message: expect.stringMatching(/^builtin http\.send is not allowed in repol custom rules: it reaches outside repol/),
      },
    ]);
  });

  it("refuses sprintf, whose WebAssembly build formats differently, and says what to use instead", async () => {
    rules = testCustomRules();
    const errors = errorsOf(await rules.evaluate("pullrequest", rulesOf("sprintf"), {}));

    expect(errors).toEqual([
      { file: ".repol/policies/format.rego", line: 3, column: expect.any(Number), message: expect.stringMatching(/builtin sprintf .*concat/) },
    ]);
  });

  it("fails closed, naming the package, when a rule throws", async () => {
    rules = testCustomRules();
    const errors = errorsOf(await rules.evaluate("pullrequest", rulesOf("throws"), { pull_request: { additions: 1, deletions: 1 } }));

    expect(errors).toEqual([
      {
        file: ".repol/policies/conflict.rego",
        line: 1,
        column: 1,
        package: "repol.pullrequest.conflict",
        message: expect.stringMatching(/^custom rules repol\.pullrequest\.conflict: .*conflict/),
      },
    ]);
  });

  it("fails closed, naming the package, when deny is not a set", async () => {
    rules = testCustomRules();
    const files = [{ path: ".repol/policies/odd.rego", sha: "0".repeat(40), text: 'package repol.deploy.odd\n\ndeny := "no"\n' }];
    const errors = errorsOf(await rules.evaluate("deploy", files, {}));

    expect(errors).toMatchObject([
      { file: ".repol/policies/odd.rego", package: "repol.deploy.odd", message: expect.stringMatching(/repol\.deploy\.odd\.deny is "no"; write it as a set/) },
    ]);
  });

  it("stops a rule that loops past the time limit, failing closed, while another evaluation is answered", async () => {
    rules = testCustomRules({ pool: { timeoutMs: 1_000 } });
    const settled: string[] = [];
    const slow = rules.evaluate("pullrequest", rulesOf("slow"), {}).then((result) => {
      settled.push("slow");
      return result;
    });
    const quick = await rules.evaluate("pullrequest", rulesOf("findings"), { pull_request: { additions: 700 } });
    settled.push("quick");

    expect(quick).toMatchObject({ ok: true, findings: { warnings: [{ package: "repol.pullrequest.size" }] } });
    expect(errorsOf(await slow)).toEqual([
      {
        file: ".repol/policies/slow.rego",
        line: 1,
        column: 1,
        package: "repol.pullrequest.slow",
        message: "custom rules repol.pullrequest.slow: the rules ran longer than the 1000 ms limit and were stopped",
      },
    ]);
    expect(settled).toEqual(["quick", "slow"]);
    // The worker that ran the loop was replaced: the pool still answers.
    expect(await rules.evaluate("pullrequest", rulesOf("findings"), { pull_request: { additions: 1 } })).toMatchObject({ ok: true });
  });

  it("places an error about a package's deny on that package's file, saying deny must be a set", async () => {
    rules = testCustomRules();
    const files = [{ path: ".repol/policies/f.rego", sha: "0".repeat(40), text: "package repol.deploy.f\n\ndeny(x) := true if x\n" }];
    expect(errorsOf(await rules.evaluate("deploy", files, {}))).toEqual([
      {
        file: ".repol/policies/f.rego",
        line: 1,
        column: 1,
        package: "repol.deploy.f",
        message: "repol.deploy.f.deny must be a set rule (`deny contains msg if { … }`): function data.repol.deploy.f.deny used as reference, not called",
      },
    ]);
  });

  it("refuses a package name repol reserves for itself", async () => {
    rules = testCustomRules();
    const files = [{ path: ".repol/policies/x.rego", sha: "0".repeat(40), text: "# mine\npackage repol_custom\n\nresult := 1\n" }];
    expect(errorsOf(await rules.evaluate("deploy", files, {}))).toEqual([
      { file: ".repol/policies/x.rego", line: 2, column: 1, message: "package repol_custom is reserved for repol; rename it" },
    ]);
  });

  it("reports nothing and compiles nothing when no package applies to the policy", async () => {
    rules = testCustomRules();
    const result = await rules.evaluate(
      "pullrequest",
      rulesOf("findings").filter((file) => !file.path.endsWith("size.rego")),
      {},
    );

    expect(result).toMatchObject({ ok: true, findings: { blocking: [], warnings: [] } });
    expect(rules.compiles).toEqual([]);
  });
});
