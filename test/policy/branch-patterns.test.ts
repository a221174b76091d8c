// Branch patterns: the policy matches them itself (policies/lib/branches.rego and branch_shapes.rego), so the config
// loader must refuse, with a reason, every pattern the policy would not match, and for every
// pattern the loader accepts the policy must match exactly as OPA's glob.match does.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branchPatternProblem, unsupportedGlobProblem } from "../../src/policy/glob-syntax.js";
import { parseRepoConfig, renderConfigErrors } from "../../src/policy/load-repo-config.js";
import { CURATED_PATTERNS, nameFor, randomPattern, seededRandom } from "../helpers/branch-pattern-generator.js";
import { evaluateWithOpa } from "../helpers/opa-batch.js";
import { repoRoot } from "../helpers/policy-bundle.js";

const SEED = 1701;
const random = seededRandom(SEED);
const recorded = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "repol", "glob-syntax-cases.json"), "utf8")) as {
  cases: Array<{ pattern: string }>;
};
const patterns = [...new Set([...CURATED_PATTERNS, ...recorded.cases.map((c) => c.pattern), ...Array.from({ length: 1500 }, () => randomPattern(random))])];
// Names no branch has: control characters, or longer than the policy's 255 characters.
const unmatchable = [
  { p: "release/**", s: "release/a\u0000" },
  { p: "**", s: "a\nb" },
  { p: "*", s: "x".repeat(256) },
  { p: "main", s: "main\u007f" },
  { p: "{,}", s: "" },
];
const pairs = [...unmatchable, ...patterns.flatMap((p) => [1, 2, 3].map(() => ({ p, s: nameFor(p, random) })))];

const harness = `package repol_patterns

import data.lib.branches

supported := [x | some p in data.repol_cases.patterns; x := is_supported(p)]

matches := [[m, g] | some c in data.repol_cases.pairs; m := matched(c.p, c.s); g := globbed(c.p, c.s)]

is_supported(p) := true if branches.supported(split(p, "")) else := false

matched(p, s) := true if branches.matches(p, s) else := false

globbed(p, s) := x if x := glob.match(p, ["/"], s) else := "error"
`;

/** The loader's verdict on a pattern, read from a whole deploy config as a user would write it. */
function loaderErrors(pattern: string): string | null {
  const yaml = `policy: {version: 1, environments: {p: {rules: {allowed_branches: [${JSON.stringify(pattern)}]}}}}\n`;
  const result = parseRepoConfig("deploy", yaml);
  return result.ok ? null : renderConfigErrors(result.errors);
}

const scratch = mkdtempSync(join(tmpdir(), "repol-patterns-"));
let supported: boolean[];
let matches: Array<[boolean, boolean | "error"]>;
let accepted: Set<string>;

beforeAll(() => {
  const value = evaluateWithOpa(harness, { patterns, pairs }, scratch) as { supported: boolean[]; matches: Array<[boolean, boolean | "error"]> };
  ({ supported, matches } = value);
  accepted = new Set(patterns.filter((p) => loaderErrors(p) === null));
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the config loader and the policy", () => {
  it("accept the same patterns, the loader refusing more only for what git never allows in a branch name", () => {
    const acceptedButUnsupported = patterns.filter((p, i) => accepted.has(p) && !supported[i]);
    const refusedWithoutGitReason = patterns.filter(
      (p, i) => supported[i] && !accepted.has(p) && !/git branch names|refs\/heads\//.test(loaderErrors(p) ?? ""),
    );
    console.log(
      `patterns (seed ${SEED}): ${patterns.length} tried, ${accepted.size} accepted by the loader, ${supported.filter(Boolean).length} supported by the policy`,
    );
    expect(acceptedButUnsupported).toEqual([]);
    expect(refusedWithoutGitReason).toEqual([]);
    expect(accepted.size).toBeGreaterThan(patterns.length / 4);
  });

  it("matches names exactly as OPA's glob.match does, for every pattern the loader accepts", () => {
    // Empty names, names with control characters and overlong ones are never branch names; see below.
    const judged = pairs
      .map((pair, i) => ({ ...pair, result: matches[i] }))
      .filter(({ p, s }) => accepted.has(p) && !/[\u0000-\u001f\u007f]/.test(s) && s !== "" && Array.from(s).length <= 255);
    const disagreements = judged
      .filter(({ result: [mine, glob] }) => mine !== glob)
      .map(({ p, s, result }) => `${JSON.stringify(p)} ~ ${JSON.stringify(s)}: ${JSON.stringify(result)}`);
    const matched = judged.filter(({ result: [mine] }) => mine).length;
    console.log(
      `pattern matching (seed ${SEED}): ${judged.length} pattern/name pairs, ${matched} matches, ${disagreements.length} disagreements with glob.match`,
    );
    expect(disagreements).toEqual([]);
    expect(matched).toBeGreaterThan(judged.length / 5);
  });

  it("matches no empty name, none with a control character and none over 255 characters, which glob.match may match", () => {
    expect(unmatchable.map((_, i) => matches[i])).toEqual([
      [false, true],
      [false, true],
      [false, true],
      [false, false],
      [false, true],
    ]);
  });
});

describe("unsupportedGlobProblem", () => {
  it.each<[string, string]>([
    [
      "[-a]",
      "class `[-a]` at position 1 is not supported: write a range like `[a-z]` or list characters other than `[ ] \\ ! ^ - { } , * ?`, optionally negated with a leading `!`",
    ],
    [
      "x[a!]",
      "class `[a!]` at position 2 is not supported: write a range like `[a-z]` or list characters other than `[ ] \\ ! ^ - { } , * ?`, optionally negated with a leading `!`",
    ],
    [
      "[]-a]",
      "class `[]` at position 1 is not supported: write a range like `[a-z]` or list characters other than `[ ] \\ ! ^ - { } , * ?`, optionally negated with a leading `!`",
    ],
    ["{a,{b,c}}", "`{` at position 4 is inside another `{...}`; groups cannot be nested, so list every choice in one (`{a,b,c}`)"],
    ["{a]}", "`]` at position 3 is inside `{...}` but closes no `[`"],
    ["a*/*/*/*/*/*/*/*/**", "it uses `*` in 9 places; at most 8 are supported"],
    ["{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", "its `{...}` groups make 64 combinations; at most 32 are supported"],
  ])("explains why the policy would not match with %j", (pattern, problem) => {
    expect(unsupportedGlobProblem(pattern)).toBe(problem);
    expect(branchPatternProblem(pattern)).toBe(problem);
  });

  it.each(["fix(ui)", "feature/(*)", "a|b", "$", "release/v?.?", "{main,release/*}", "[!x]*", "{a,b}}", "a,b", "a]", "***", "{,}"])(
    "accepts %j, which both OPA and the policy read literally or as glob.match does",
    (pattern) => {
      expect(branchPatternProblem(pattern)).toBeNull();
    },
  );
});
