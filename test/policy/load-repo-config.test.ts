import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../src/policy/decision.js";
import { CONFIG_PATHS, parseRepoConfig, renderConfigErrors, type ConfigResult } from "../../src/policy/load-repo-config.js";
import type { PolicyName } from "../../src/domain/policy-name.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (name: string) => readFileSync(join(repoRoot, "test", "fixtures", "repol", name));
const kindOf = (name: string): PolicyName => (name.includes("pullrequest") ? "pullrequest" : "deploy");
const parse = (kind: PolicyName, text: string | Uint8Array, file?: string): ConfigResult<unknown> =>
  kind === "deploy" ? parseRepoConfig("deploy", text, file) : parseRepoConfig("pullrequest", text, file);

/** `line:column path message`, with `-` for the whole-file path: one string per error, easy to read in a table. */
const brief = (e: ConfigError) => `${e.line}:${e.column} ${e.path || "-"} ${e.message}`;
const errorsOf = (result: ConfigResult<unknown>): string[] => {
  if (result.ok) throw new Error(`expected errors, got config ${JSON.stringify(result.config)}`);
  return result.errors.map(brief);
};

describe("parseRepoConfig on valid files", () => {
  it.each(["deploy", "pullrequest"] as const)("accepts this repository's own .repol/%s.yaml", (kind) => {
    const result = parse(kind, readFileSync(join(repoRoot, CONFIG_PATHS[kind])));
    expect(result.ok ? "ok" : renderConfigErrors(result.errors)).toBe("ok");
  });

  it.each([
    "valid/deploy-minimal.yaml",
    "valid/deploy-json-style.yaml",
    "valid/deploy-anchors.yaml",
    "valid/deploy-unusual-env-names.yaml",
    "valid/pullrequest-minimal.yaml",
    "valid/pullrequest-branch-rules.yaml",
    "valid/deploy-enforcement.yaml",
    "valid/pullrequest-enforcement.yaml",
  ])("accepts %s", (name) => {
    const result = parse(kindOf(name), fixture(name), name);
    expect(result.ok ? "ok" : renderConfigErrors(result.errors)).toBe("ok");
  });

  it("fills every optional deploy rule with its documented default", () => {
    const result = parseRepoConfig("deploy", fixture("valid/deploy-minimal.yaml"));
    expect(result).toEqual({
      ok: true,
      config: {
        policy: {
          version: 1,
          environments: {
            production: {
              enabled: true,
              rules: { approvals_required: 0, allowed_branches: null, tests_passed: false, signed_off: false },
            },
          },
        },
      },
    });
  });

  it("keeps the values a deploy file sets instead of the defaults", () => {
    const result = parseRepoConfig("deploy", fixture("valid/deploy-json-style.yaml"));
    if (!result.ok) throw new Error(renderConfigErrors(result.errors));
    expect(result.config.policy.environments.production).toEqual({
      enabled: false,
      rules: { approvals_required: 1, allowed_branches: [], max_deployments_per_day: 3, tests_passed: false, signed_off: false },
    });
  });

  it("fills every optional pull request rule with its documented default", () => {
    const result = parseRepoConfig("pullrequest", fixture("valid/pullrequest-minimal.yaml"));
    expect(result).toEqual({
      ok: true,
      config: {
        policy: {
          version: 1,
          branch_rules: [],
          rules: { allowed_target_branches: null, approvals_required: 0, signed_off: false },
        },
      },
    });
  });

  it("gives every result its own default list, so changing one result leaves the next untouched", () => {
    const first = parseRepoConfig("pullrequest", fixture("valid/pullrequest-minimal.yaml"));
    if (!first.ok) throw new Error(renderConfigErrors(first.errors));
    first.config.policy.branch_rules.push({ source: "a", target: "b" });
    const second = parseRepoConfig("pullrequest", fixture("valid/pullrequest-minimal.yaml"));
    expect(second.ok && second.config.policy.branch_rules).toEqual([]);
  });

  it("expands aliases into independent copies of the anchored rules", () => {
    const result = parseRepoConfig("deploy", fixture("valid/deploy-anchors.yaml"));
    if (!result.ok) throw new Error(renderConfigErrors(result.errors));
    const { environments } = result.config.policy;
    expect(Object.keys(environments)).toEqual(["us-east", "eu-west", "ap-south"]);
    for (const name of ["eu-west", "ap-south"]) expect(environments[name]).toEqual(environments["us-east"]);
    environments["eu-west"].rules.approvals_required = 9;
    expect(environments["us-east"].rules.approvals_required).toBe(2);
  });

  it("reads environment names as text, whatever YAML type the key has", () => {
    const result = parseRepoConfig("deploy", fixture("valid/deploy-unusual-env-names.yaml"));
    if (!result.ok) throw new Error(renderConfigErrors(result.errors));
    expect(Object.keys(result.config.policy.environments).sort()).toEqual(["2024", "prod/eu-west-1", "QA team", "Produktion (Köln)"].sort());
  });

  it("gives the same config for a string and for its UTF-8 bytes, with or without a byte order mark", () => {
    const text = readFileSync(join(repoRoot, CONFIG_PATHS.deploy), "utf8");
    const fromString = parseRepoConfig("deploy", text);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(parseRepoConfig("deploy", new TextEncoder().encode(text))).toEqual(fromString);
    expect(parseRepoConfig("deploy", withBom)).toEqual(fromString);
    expect(parseRepoConfig("deploy", `\uFEFF${text}`)).toEqual(fromString);
  });
});

describe("parseRepoConfig on invalid files", () => {
  it.each<[string, string[]]>([
    [
      "deploy-unknown-key-typo.yaml",
      [
        "5:7 /policy/environments/production/enabeld unknown key `enabeld` in `production` — did you mean `enabled`?",
        "7:9 /policy/environments/production/rules/approval_required unknown key `approval_required` in `rules` — did you mean `approvals_required`?",
        "8:9 /policy/environments/production/rules/allowed_branch unknown key `allowed_branch` in `rules` — did you mean `allowed_branches`?",
        "9:9 /policy/environments/production/rules/reviewers unknown key `reviewers` in `rules`; allowed keys: `approvals_required`, `allowed_branches`, `tests_passed`, `required_checks`, `signed_off`, `max_deployments_per_day`, `deploy_windows`, `freeze`",
      ],
    ],
    [
      "deploy-wrong-value-types.yaml",
      [
        '5:16 /policy/environments/production/enabled `enabled` must be true or false, got "true"',
        '7:29 /policy/environments/production/rules/approvals_required `approvals_required` must be an integer from 0 to 100, got "two"',
        '8:23 /policy/environments/production/rules/tests_passed `tests_passed` must be true or false, got "yes" (YAML 1.2 only knows true and false)',
        "9:9 /policy/environments/production/rules/signed_off `signed_off` must be true or false, got an empty value",
        "10:34 /policy/environments/production/rules/max_deployments_per_day `max_deployments_per_day` must be an integer from 0 to 100000, got -1",
        '11:27 /policy/environments/production/rules/allowed_branches `allowed_branches` must be a list of branch patterns, or null for any branch, got "main"',
        "12:33 /policy/environments/production/rules/required_checks/1 `required_checks[1]` must be text of 1 to 255 characters, got 3",
        '15:29 /policy/environments/staging/rules/approvals_required `approvals_required` must be an integer from 0 to 100, got "2" (remove the quotes)',
        "16:34 /policy/environments/staging/rules/max_deployments_per_day `max_deployments_per_day` must be an integer from 0 to 100000, got 1.5",
        "17:27 /policy/environments/staging/rules/allowed_branches `allowed_branches` must be a list of branch patterns, or null for any branch, got a mapping",
      ],
    ],
    ["deploy-version-unsupported.yaml", ["2:12 /policy/version unsupported config format `version` 2; this repol supports `version: 1`"]],
    ["deploy-version-string-major-2.yaml", ['2:12 /policy/version unsupported config format `version` "2.0"; this repol supports `version: 1`']],
    [
      "deploy-missing-required-keys.yaml",
      [
        "2:1 /policy/version missing required key `version` in `policy`",
        "2:1 /policy/environments missing required key `environments` in `policy`",
        "3:3 /policy/environments_list unknown key `environments_list` in `policy` — did you mean `environments`?",
      ],
    ],
    [
      "deploy-environment-without-rules.yaml",
      [
        "4:5 /policy/environments/production/rules missing required key `rules` in `production`",
        "6:5 /policy/environments/staging/rules missing required key `rules` in `staging`",
        "7:5 /policy/environments/preview `preview` must be a mapping, got an empty value",
      ],
    ],
    ["deploy-no-environments.yaml", ["3:17 /policy/environments `environments` is empty; it must have at least 1 entry"]],
    [
      "deploy-bad-branch-patterns.yaml",
      [
        '7:13 /policy/environments/production/rules/allowed_branches/0 `allowed_branches[0]`: branch pattern "release/[0-9" is invalid: `[` at position 9 is never closed with `]`',
        '8:13 /policy/environments/production/rules/allowed_branches/1 `allowed_branches[1]`: branch pattern "{main,release/*" is invalid: `{` at position 1 is never closed with `}`',
        '9:13 /policy/environments/production/rules/allowed_branches/2 `allowed_branches[2]`: branch pattern "hotfix/[z-a]*" is invalid: range `[z-a]` at position 8 is reversed; write `[a-z]`',
        '10:13 /policy/environments/production/rules/allowed_branches/3 `allowed_branches[3]`: branch pattern "feature branch/*" is invalid: it contains a space, which git branch names cannot contain',
        '11:13 /policy/environments/production/rules/allowed_branches/4 `allowed_branches[4]`: branch pattern "refs/heads/main" is invalid: write the branch name without the `refs/heads/` prefix (e.g. `main`, `release/*`)',
        '12:13 /policy/environments/production/rules/allowed_branches/5 `allowed_branches[5]`: branch pattern "release/../main" is invalid: it can never match a branch: git branch names cannot contain `..`',
        '13:13 /policy/environments/production/rules/allowed_branches/6 `allowed_branches[6]`: branch pattern "[]" is invalid: character class at position 1 is empty; it must list at least one character',
        '14:13 /policy/environments/production/rules/allowed_branches/7 `allowed_branches[7]` must be text of 1 to 255 characters, got ""',
        '16:13 /policy/environments/production/rules/allowed_branches/9 `allowed_branches` lists "main" twice (entries 9 and 10)',
      ],
    ],
    [
      "deploy-environment-name-clash.yaml",
      [
        "6:5 /policy/environments/Production environment `Production` is the same GitHub environment as `production` (names are case-insensitive); keep one entry",
      ],
    ],
    [
      "deploy-environment-name-whitespace.yaml",
      ['4:5 /policy/environments/production  environment name "production " must not start or end with whitespace or contain control characters'],
    ],
    [
      "deploy-missing-policy-wrapper.yaml",
      [
        "2:1 /policy missing required key `policy` at the top level",
        "2:1 /version unknown key `version` at the top level — it belongs inside `policy`",
        "3:1 /environments unknown key `environments` at the top level — it belongs inside `policy`",
      ],
    ],
    [
      "deploy-merge-key.yaml",
      ["9:9 /policy/environments/staging/rules/<< merge keys (`<<`) are not supported in `rules`; reuse a whole mapping with an alias (`*name`) instead"],
    ],
    [
      "pullrequest-invalid-branch-rules.yaml",
      [
        "4:7 /policy/branch_rules/0/target missing required key `target` in `branch_rules[0]`",
        '5:34 /policy/branch_rules/1/target `branch_rules[1].target`: branch pattern "release/{1,2" is invalid: `{` at position 9 is never closed with `}`',
        "6:36 /policy/branch_rules/2/label unknown key `label` in `branch_rules[2]`; allowed keys: `source`, `target`",
        '7:7 /policy/branch_rules/3 `branch_rules[3]` must be a mapping, got "main"',
        '9:37 /policy/rules/allowed_target_branches/1 `allowed_target_branches[1]`: branch pattern "release/[" is invalid: `[` at position 9 is never closed with `]`',
        "10:5 /policy/rules/approvals unknown key `approvals` in `rules`; allowed keys: `allowed_target_branches`, `approvals_required`, `signed_off`",
      ],
    ],
    ["pullrequest-missing-rules.yaml", ["1:1 /policy/rules missing required key `rules` in `policy`"]],
    [
      "deploy-enforcement-problems.yaml",
      [
        "9:9 /policy/environments/production/enforcement/required_checks unknown key `required_checks` in `enforcement`; allowed keys: `approvals_required`, `allowed_branches`, `tests_passed`, `signed_off`, `max_deployments_per_day`, `deploy_windows`, `freeze`",
        '10:23 /policy/environments/production/enforcement/tests_passed `tests_passed` must be `warn` or `block`, got "off"',
        "11:9 /policy/environments/production/enforcement/signed_of unknown key `signed_of` in `enforcement` — did you mean `signed_off`?",
      ],
    ],
    [
      "pullrequest-enforcement-problems.yaml",
      [
        '5:25 /policy/enforcement/approvals_required `approvals_required` must be `warn` or `block`, got "advisory"',
        "6:5 /policy/enforcement/reviewers unknown key `reviewers` in `enforcement`; allowed keys: `branch_rules`, `allowed_target_branches`, `approvals_required`, `signed_off`",
      ],
    ],
  ])("reports the schema errors of %s where they are written", (name, expected) => {
    expect(errorsOf(parse(kindOf(name), fixture(`invalid/${name}`), name))).toEqual(expected);
  });

  it.each<[string, string[]]>([
    ["deploy-yaml-bad-indentation.yaml", ["7:1 - invalid YAML: All mapping items must start at the same column"]],
    ["deploy-yaml-tab-indentation.yaml", ["4:1 - invalid YAML: tabs are not allowed for indentation; indent with spaces"]],
    ["deploy-yaml-unclosed-quote.yaml", ["6:36 - invalid YAML: Missing , or : between flow sequence items"]],
  ])("reports the YAML syntax error of %s at the YAML parser's position", (name, expected) => {
    expect(errorsOf(parse("deploy", fixture(`invalid/${name}`), name))).toEqual(expected);
  });

  it.each<[string, string]>([
    ["", "file is empty; a repol config is a mapping with a `policy` key"],
    ["# TODO\n\n", "file is empty; a repol config is a mapping with a `policy` key"],
    ["- policy: {}\n", "the top level must be a mapping with a `policy` key, but this file holds a list"],
    ["policy\n", "the top level must be a mapping with a `policy` key, but this file holds a single value"],
    ["42\n", "the top level must be a mapping with a `policy` key, but this file holds a single value"],
    ["null\n", "the top level must be a mapping with a `policy` key, but this file holds a single value"],
  ])("rejects a file whose top level is not a mapping: %j", (text, message) => {
    for (const kind of ["deploy", "pullrequest"] as const) {
      expect(errorsOf(parse(kind, text))).toEqual([`1:1 - ${message}`]);
    }
  });

  it.each<[string, string, string]>([
    [
      "an environment name over 255 characters",
      `policy:\n  version: 1\n  environments:\n    ${"e".repeat(256)}: {rules: {}}\n`,
      `4:5 /policy/environments/${"e".repeat(256)} environment name "${"e".repeat(57)}..." is 256 characters long; at most 255 are allowed`,
    ],
    [
      "101 branch patterns",
      `policy:\n  version: 1\n  environments:\n    p:\n      rules:\n        allowed_branches: [${Array.from({ length: 101 }, (_, i) => `b${i}`).join(", ")}]\n`,
      "6:27 /policy/environments/p/rules/allowed_branches `allowed_branches` has 101 entries; at most 100 are allowed",
    ],
    [
      "a branch pattern over 255 characters",
      `policy:\n  version: 1\n  environments:\n    p:\n      rules:\n        allowed_branches: [${"b".repeat(256)}]\n`,
      `6:28 /policy/environments/p/rules/allowed_branches/0 \`allowed_branches[0]\` must be text of 1 to 255 characters, got "${"b".repeat(57)}..."`,
    ],
    ["a misspelled top-level key", "Policy:\n  version: 1\n", "1:1 /Policy unknown key `Policy` at the top level — did you mean `policy`?"],
    [
      "an infinite approval count",
      "policy:\n  version: 1\n  environments:\n    p:\n      rules: {approvals_required: .inf}\n",
      "5:35 /policy/environments/p/rules/approvals_required `approvals_required` must be an integer from 0 to 100, got Infinity",
    ],
  ])("rejects %s", (_, text, expected) => {
    expect(errorsOf(parse("deploy", text))).toContain(expected);
  });

  it("names the default config path as the file when none is given", () => {
    for (const kind of ["deploy", "pullrequest"] as const) {
      const result = parse(kind, "policy: {}\n");
      expect(result.ok ? [] : result.errors.map((e) => e.file)).toEqual([CONFIG_PATHS[kind], CONFIG_PATHS[kind]]);
    }
  });

  it("rejects a pull request config given as the deploy config, pointing at its foreign keys", () => {
    const errors = errorsOf(parseRepoConfig("deploy", fixture("valid/pullrequest-branch-rules.yaml")));
    expect(errors).toEqual([
      "1:1 /policy/environments missing required key `environments` in `policy`",
      "3:3 /policy/branch_rules unknown key `branch_rules` in `policy`; allowed keys: `version`, `metadata`, `environments`",
      "7:3 /policy/rules unknown key `rules` in `policy`; allowed keys: `version`, `metadata`, `environments`",
    ]);
  });

  it("shows at most 50 errors and says how many more there are", () => {
    const keys = Array.from({ length: 80 }, (_, i) => `    unknown_${i}: 1`).join("\n");
    const result = parseRepoConfig("pullrequest", `policy:\n  version: 1\n  rules:\n${keys}\n`);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(51);
    expect(errors[49].message).toContain("unknown_49");
    expect(errors[50]).toMatchObject({ line: 54, message: "30 more errors not shown; fix the ones above first" });
  });
});

describe("renderConfigErrors", () => {
  it("writes one `file:line:col: message (at path)` line per error, leaving out an empty path", () => {
    const errors: ConfigError[] = [
      { file: ".repol/deploy.yaml", line: 7, column: 9, path: "/policy/version", message: "unsupported" },
      { file: ".repol/deploy.yaml", line: 1, column: 1, path: "", message: "file is empty" },
    ];
    expect(renderConfigErrors(errors)).toBe(".repol/deploy.yaml:7:9: unsupported (at /policy/version)\n.repol/deploy.yaml:1:1: file is empty");
  });

  it("renders nothing for no errors", () => {
    expect(renderConfigErrors([])).toBe("");
  });
});
