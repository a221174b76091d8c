import { describe, expect, it } from "vitest";
import type { PolicyResult, Violation } from "../../src/domain/verdict.js";
import type { PullRequestConfig } from "../../src/policy/load-repo-config.js";
import { renderCheckOutput, renderEvaluationError, type PullRequestShown } from "../../src/github/render-check-output.js";
import type { SignOffVerdict } from "../../src/core/judge-sign-off.js";

const pr: PullRequestShown = {
  number: 42,
  headRef: "feature/login",
  baseRef: "main",
  forkOf: null,
  draft: false,
  defaultBranch: "main",
  configPath: ".repol/pullrequest.yaml",
};

function config(rules: Partial<PullRequestConfig["policy"]["rules"]>, branch_rules: PullRequestConfig["policy"]["branch_rules"] = []): PullRequestConfig {
  return { policy: { version: 1, branch_rules, rules: { allowed_target_branches: null, approvals_required: 0, signed_off: false, ...rules } } };
}

const signed: SignOffVerdict = { signedOff: true, reason: "all 2 commits are signed off", unsigned: [], checked: 2 };

function decided(violations: Violation[], cfg = config({}), approvers: string[] = [], signOff: SignOffVerdict | null = signed, warnings: Violation[] = []) {
  const result: PolicyResult = { policy: "pullrequest", allow: violations.length === 0, deny: violations.map((v) => v.msg), violations, warnings };
  return { kind: "decided" as const, result, config: cfg, approvers, signOff };
}

function rowOf(summary: string, rule: string): string | undefined {
  return summary.split("\n").find((line) => line.includes(`| \`${rule}\` |`));
}

describe("renderCheckOutput: the rule table", () => {
  it.each([
    ["not configured", config({}), [], "➖", "none required (0 approvals)"],
    ["met", config({ approvals_required: 2 }), [], "✅", "2 approvals, 2 required"],
    [
      "failed",
      config({ approvals_required: 3 }),
      [{ code: "approvals.insufficient", msg: "3 approvals required, 2 given (bob, carol)" }],
      "❌",
      "3 approvals required, 2 given (bob, carol)",
    ],
  ] as const)("shows approvals_required %s", (_label, cfg, violations, status, reason) => {
    const { output } = renderCheckOutput(pr, decided([...violations], cfg, ["bob", "carol"]));
    const row = rowOf(output.summary, "approvals_required");
    expect(row).toContain(`| ${status} |`);
    expect(row).toContain(reason.replace("0 approvals", "2 approvals"));
  });

  it("lists one row per rule in a fixed order", () => {
    const { output } = renderCheckOutput(pr, decided([]));
    const names = output.summary
      .split("\n")
      .slice(2, 6)
      .map((line) => line.split("|")[2]?.trim());
    expect(names).toEqual(["`branch_rules`", "`allowed_target_branches`", "`approvals_required`", "`signed_off`"]);
  });

  it("adds the commits that lack a sign-off to a failed sign-off row", () => {
    const unsigned: SignOffVerdict = { signedOff: false, reason: "1 of 2 commits lack a trailer: abc1234 (x@y.z)", unsigned: [], checked: 2 };
    const { output } = renderCheckOutput(
      pr,
      decided([{ code: "signoff.missing", msg: "The pull request is not signed off" }], config({ signed_off: true }), [], unsigned),
    );
    expect(rowOf(output.summary, "signed_off")).toContain("The pull request is not signed off — 1 of 2 commits lack a trailer: abc1234 (x@y.z)");
  });

  it("gives a violation outside the four rules its own failing row", () => {
    const { conclusion, output } = renderCheckOutput(pr, decided([{ code: "schema.input.head_ref_empty", msg: "Input field head_ref must be a branch name" }]));
    expect(conclusion).toBe("failure");
    expect(rowOf(output.summary, "schema.input.head_ref_empty")).toContain("| ❌ |");
  });

  it("never shows a denial as all green even when the policy names no rule", () => {
    const result: PolicyResult = { policy: "pullrequest", allow: false, deny: [], violations: [], warnings: [] };
    const { conclusion, output } = renderCheckOutput(pr, { kind: "decided", result, config: config({}), approvers: [], signOff: signed });
    expect(conclusion).toBe("failure");
    expect(output.title).toBe("1 of 5 rules failed: policy");
  });

  it("neutralises Markdown in branch names and messages taken from the repository", () => {
    const hostile = { ...pr, headRef: "x|<img src=x>@admin", baseRef: "main" };
    const { output } = renderCheckOutput(
      hostile,
      decided([{ code: "branch_naming.denied", msg: "Branch x|<img src=x>\n@admin may not be merged" }], config({}, [{ source: "feature/*", target: "main" }])),
    );
    const row = rowOf(output.summary, "branch_rules")!;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(5);
    expect(row).not.toMatch(/(?<!\\)<img/);
    expect(row).not.toMatch(/(^|\s)@admin/);
    expect(output.text).not.toMatch(/(?<!\\)<img/);
  });
});

describe("renderCheckOutput: titles, drafts and facts", () => {
  it.each([
    [[], "All rules pass for main"],
    [[{ code: "approvals.insufficient", msg: "m" }], "1 of 4 rules failed: approvals_required"],
    [
      [
        { code: "approvals.insufficient", msg: "m" },
        { code: "target_branch.denied", msg: "n" },
      ],
      "2 of 4 rules failed: allowed_target_branches, approvals_required",
    ],
  ] as [Violation[], string][])("titles %j as %s", (violations, title) => {
    expect(renderCheckOutput(pr, decided(violations)).output.title).toBe(title);
  });

  it("says a draft is a draft in the title and at the top of the summary", () => {
    const { output } = renderCheckOutput({ ...pr, draft: true }, decided([]));
    expect(output.title).toBe("Draft: All rules pass for main");
    expect(output.summary.startsWith("> **This pull request is a draft.**")).toBe(true);
    expect(output.text).toContain("#42 (draft)");
  });

  it("lists the facts used: branches, fork, approvers and sign-off", () => {
    const { output } = renderCheckOutput({ ...pr, forkOf: "mallory/widgets" }, decided([], config({}), ["bob", "carol"]));
    expect(output.text).toContain("- Head branch: feature/login (from fork mallory/widgets)");
    expect(output.text).toContain("- Base branch: main");
    expect(output.text).toContain("the author never counts): bob, carol");
    expect(output.text).toContain("- Sign-off: all 2 commits are signed off");
  });
});

describe("renderCheckOutput: rules set to warn", () => {
  const approvals: Violation = { code: "approvals.insufficient", msg: "2 approvals required, 1 given (bob)", rule: "approvals_required" };
  const signoff: Violation = { code: "signoff.missing", msg: "The pull request is not signed off", rule: "signed_off" };

  it("passes a pull request with only warnings, listing each apart from the passed rules", () => {
    const cfg = config({ approvals_required: 2, allowed_target_branches: ["main"] });
    const { conclusion, output } = renderCheckOutput(pr, decided([], cfg, ["bob"], signed, [approvals]));
    expect(conclusion).toBe("success");
    expect(output.title).toBe("No blocking rule failed for main; 1 warning: approvals_required");
    expect(rowOf(output.summary, "approvals_required")).toBe("| ⚠️ | `approvals_required` | 2 approvals required, 1 given (bob) |");
    expect(rowOf(output.summary, "allowed_target_branches")).toContain("| ✅ |");
    expect(output.summary).toContain("⚠️ failed, but set to `warn` in `.repol/pullrequest.yaml`: reported, not blocking.");
  });

  it("fails on a blocking rule and still shows the warned one as a warning", () => {
    const { conclusion, output } = renderCheckOutput(pr, decided([signoff], config({ approvals_required: 2, signed_off: true }), ["bob"], signed, [approvals]));
    expect(conclusion).toBe("failure");
    expect(output.title).toBe("1 of 4 rules failed: signed_off");
    expect(rowOf(output.summary, "signed_off")).toContain("| ❌ |");
    expect(rowOf(output.summary, "approvals_required")).toContain("| ⚠️ |");
  });

  it("gives a warning outside the four rules its own row", () => {
    const custom: Violation = { code: "repol.pullrequest.size", msg: "this pull request changes 900 lines" };
    const { conclusion, output } = renderCheckOutput(pr, decided([], config({}), [], signed, [custom]));
    expect(conclusion).toBe("success");
    expect(rowOf(output.summary, "repol.pullrequest.size")).toBe("| ⚠️ | `repol.pullrequest.size` | this pull request changes 900 lines |");
  });

  it("says every rule passed only when nothing warned either", () => {
    expect(renderCheckOutput(pr, decided([], config({}))).output.title).toBe("All rules pass for main");
  });
});

describe("renderCheckOutput: configuration problems and errors", () => {
  it("annotates each config error at its line and column, never below line 1", () => {
    const errors = [
      {
        file: ".repol/pullrequest.yaml",
        line: 4,
        column: 7,
        path: "/policy/rules/aprovals",
        message: "unknown key `aprovals`; did you mean `approvals_required`?",
      },
      { file: ".repol/pullrequest.yaml", line: 0, column: 0, path: "", message: "file is empty" },
    ];
    const { conclusion, output } = renderCheckOutput(pr, { kind: "config_invalid", errors });
    expect(conclusion).toBe("failure");
    expect(output.title).toBe("Invalid .repol/pullrequest.yaml: 2 problems");
    expect(output.annotations).toEqual([
      expect.objectContaining({ start_line: 4, end_line: 4, start_column: 7, end_column: 7, title: "Invalid /policy/rules/aprovals" }),
      expect.objectContaining({ start_line: 1, end_line: 1, start_column: 1, title: "Invalid configuration" }),
    ]);
    expect(output.summary).toContain(".repol/pullrequest.yaml:4:7: unknown key `aprovals`");
  });

  it("fails with the reason when repol could not evaluate", () => {
    const { conclusion, output } = renderEvaluationError("GitHub answered 502 while reading reviews of acme/widgets#42");
    expect(conclusion).toBe("failure");
    expect(output.summary).toContain("repol could not evaluate: GitHub answered 502");
  });
});

describe("renderCheckOutput: custom rules", () => {
  const labels = { code: "labels.missing", msg: "needs the reviewed label", package: "repol.pullrequest.labels", enforcement: "block" as const };
  const orgRule = { code: "custom.o", msg: "link an issue", package: "repol.pullrequest.o", enforcement: "block" as const, organisation: "acme/.github" };
  const applied = (blocking: object[], warnings: object[] = []) =>
    ({
      sources: [],
      blocking: blocking.map((f) => ({ ...f, origin: "repository" as const, repository: "acme/widgets", file: ".repol/policies/labels.rego", line: 4 })),
      warnings: warnings.map((f) => ({ ...f, origin: "repository" as const, repository: "acme/widgets" })),
      errors: [],
    }) as never;

  it("fails a check the built-in rules pass when a custom rule blocks, with a row named by its package and an annotation", () => {
    const check = renderCheckOutput(pr, decided([]), { applied: applied([labels]), violations: [labels], warnings: [] });
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toContain("repol.pullrequest.labels");
    expect(rowOf(check.output.summary, "repol.pullrequest.labels")).toBe("| ❌ | `repol.pullrequest.labels` | needs the reviewed label |");
    expect(check.output.annotations).toEqual([expect.objectContaining({ path: ".repol/policies/labels.rego", start_line: 4, annotation_level: "failure" })]);
  });

  it("names the organisation of an organisation's finding", () => {
    const check = renderCheckOutput(pr, decided([]), { applied: applied([]), violations: [orgRule], warnings: [] });
    expect(check.output.summary).toContain("| ❌ | `repol.pullrequest.o (organisation acme/.github)` | link an issue |");
  });

  it("passes with a custom warning listed apart, explained as a custom rule's warning", () => {
    const warning = { ...labels, enforcement: "warn" as const };
    const check = renderCheckOutput(pr, decided([]), { applied: applied([], [warning]), violations: [], warnings: [warning] });
    expect(check.conclusion).toBe("success");
    expect(check.output.summary).toContain("⚠️ on a custom rule");
    expect(check.output.summary).not.toContain("set to `warn`");
  });
});
