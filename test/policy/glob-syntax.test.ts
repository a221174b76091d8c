import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { branchPatternProblem, globSyntaxProblem } from "../../src/policy/glob-syntax.js";

interface GlobCase {
  pattern: string;
  go: boolean;
  wasm: boolean;
}
// Recorded from OPA itself by glob-syntax-cases.generate.mjs: whether glob.match accepts each pattern.
const recorded = JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/repol/glob-syntax-cases.json", import.meta.url)), "utf8")) as { cases: GlobCase[] };

describe("globSyntaxProblem", () => {
  it("accepts exactly the patterns that both OPA's Go and WASM glob.match accept", () => {
    expect(recorded.cases.length).toBeGreaterThan(1000);
    const disagreements = recorded.cases
      .filter((c) => (globSyntaxProblem(c.pattern) === null) !== (c.go && c.wasm))
      .map((c) => `${JSON.stringify(c)} → ${globSyntaxProblem(c.pattern)}`);
    expect(disagreements).toEqual([]);
  });

  it.each<[string, string]>([
    ["release/[0-9", "`[` at position 9 is never closed with `]`"],
    ["[!", "`[` at position 1 is never closed with `]`"],
    ["[a-]", "`[` at position 1 is never closed with `]`"],
    ["{main,release/*", "`{` at position 1 is never closed with `}`"],
    ["{a,{b}", "`{` at position 1 is never closed with `}`"],
    ["{a,[b}]", "`{` at position 1 is never closed with `}`"],
    ["x[z-a]", "range `[z-a]` at position 2 is reversed; write `[a-z]`"],
    ["[a-bc]", "range at position 1 must be exactly one character, `-`, one character, then `]` (like `[a-z]`)"],
    ["[]", "character class at position 1 is empty; it must list at least one character"],
    ["[!]x", "character class at position 1 is empty; it must list at least one character"],
  ])("explains what is wrong with %j", (pattern, problem) => {
    expect(globSyntaxProblem(pattern)).toBe(problem);
  });

  it.each(["main", "release/*", "**", "{main,release/*}", "[!.]*", "[]-a]", "feat/[a-z]?x", "}{}", "ü/[à-ÿ]"])("accepts %j", (pattern) => {
    expect(globSyntaxProblem(pattern)).toBeNull();
  });

  it("counts positions in characters, not UTF-16 units", () => {
    expect(globSyntaxProblem("😀/[")).toBe("`[` at position 3 is never closed with `]`");
  });
});

describe("branchPatternProblem", () => {
  it.each<[string, string]>([
    ["refs/heads/main", "write the branch name without the `refs/heads/` prefix (e.g. `main`, `release/*`)"],
    ["/main", "it can never match a branch: git branch names cannot start or end with `/`"],
    ["release/", "it can never match a branch: git branch names cannot start or end with `/`"],
    ["release//*", "it can never match a branch: git branch names cannot contain `//`"],
    ["a/../b", "it can never match a branch: git branch names cannot contain `..`"],
    ["main@{1}", "it can never match a branch: git branch names cannot contain `@{`"],
    ["release.", "it can never match a branch: git branch names cannot end with `.` or `.lock`"],
    ["main.lock", "it can never match a branch: git branch names cannot end with `.` or `.lock`"],
    ["[main", "`[` at position 1 is never closed with `]`"],
  ])("rejects %j", (pattern, problem) => {
    expect(branchPatternProblem(pattern)).toBe(problem);
  });

  it.each(["main", "release/*", "v1.2", "dependabot/**", "user/alice/fix-1", "{main,master}"])("accepts %j", (pattern) => {
    expect(branchPatternProblem(pattern)).toBeNull();
  });
});
