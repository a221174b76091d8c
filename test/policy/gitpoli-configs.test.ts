// Config files written for gitpoli load unchanged: its example shapes (test/fixtures/repol/gitpoli)
// and any combination of its documented keys with ordinary values, as gitpoli's schemas define them.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { PolicyName } from "../../src/domain/policy-name.js";
import { parseRepoConfig, renderConfigErrors, type ConfigResult } from "../../src/policy/load-repo-config.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/repol/gitpoli/${name}`, import.meta.url), "utf8");
const load = (kind: PolicyName, text: string): ConfigResult<unknown> =>
  kind === "deploy" ? parseRepoConfig("deploy", text) : parseRepoConfig("pullrequest", text);
const configOf = (result: ConfigResult<unknown>) => {
  if (!result.ok) throw new Error(renderConfigErrors(result.errors));
  return result.config;
};

// A fixed seed: a failure names the same counterexample on every run.
const runs = { numRuns: 200, seed: 20260215 };

// Values as gitpoli's schemas allow them and its users write them.
const version = fc.constantFrom("1.0.0", "1.0", "1", "1.2", "1.0.3");
const text = fc.constantFrom("Deployment environment protection policy", "Owned by platform", "", "2026-03-15", "v2 rollout, see RFC-12");
const metadata = fc.option(
  fc.record(
    {
      description: text,
      last_updated: fc.constantFrom("2026-03-15", "2025-12-01T10:00:00Z"),
      owners: fc.array(fc.constantFrom("platform", "sre", "alice"), { maxLength: 3 }),
      ticket: fc.integer({ min: 1, max: 99_999 }),
      review: fc.record({ every_days: fc.integer({ min: 1, max: 365 }), note: text }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const pattern = fc.constantFrom("main", "develop", "release/*", "hotfix/*", "feature/*", "bugfix/*", "release/**", "staging");
const patternsOrNull = fc.option(fc.uniqueArray(pattern, { minLength: 1, maxLength: 4 }), { nil: null });
const deployRules = fc.record({
  approvals_required: fc.integer({ min: 0, max: 10 }),
  allowed_branches: patternsOrNull,
  tests_passed: fc.boolean(),
  signed_off: fc.boolean(),
  max_deployments_per_day: fc.integer({ min: 0, max: 1000 }),
});
const environments = fc.dictionary(
  fc.constantFrom("production", "staging", "development", "qa", "preview", "dr-eu"),
  fc.record({ enabled: fc.boolean(), rules: deployRules }),
  { minKeys: 1, maxKeys: 4 },
);
const branchRules = fc.option(fc.array(fc.record({ source: pattern, target: pattern }), { maxLength: 6 }), { nil: undefined });
const pullRequestRules = fc.record(
  { allowed_target_branches: patternsOrNull, approvals_required: fc.integer({ min: 0, max: 10 }), signed_off: fc.boolean() },
  { requiredKeys: ["approvals_required"] },
);

/** The policy document with optional keys left out when undefined, as a person would write it. */
const policyOf = (fields: Record<string, unknown>) => ({
  policy: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
});

describe("config files written for gitpoli", () => {
  it.each(["deploy", "pullrequest"] as const)("loads a gitpoli-shaped .repol/%s.yaml with every value kept", (kind) => {
    const text = fixture(`${kind}.yaml`);
    expect(configOf(load(kind, text))).toEqual(parse(text));
  });

  it("loads any deploy.yaml combining gitpoli's documented keys, and returns exactly what was written", () => {
    fc.assert(
      fc.property(version, metadata, environments, (v, meta, envs) => {
        const written = policyOf({ version: v, metadata: meta, environments: envs });
        expect(configOf(load("deploy", stringify(written)))).toEqual(written);
      }),
      runs,
    );
  });

  it("loads any pullrequest.yaml combining gitpoli's documented keys, with only repol's defaults added", () => {
    fc.assert(
      fc.property(version, metadata, branchRules, pullRequestRules, (v, meta, pairs, rules) => {
        const written = policyOf({ version: v, metadata: meta, branch_rules: pairs, rules });
        const expected = policyOf({
          version: v,
          metadata: meta,
          branch_rules: pairs ?? [],
          rules: { allowed_target_branches: null, signed_off: false, ...rules },
        });
        expect(configOf(load("pullrequest", stringify(written)))).toEqual(expected);
      }),
      runs,
    );
  });

  it("refuses a version of another major format with the message it gives for any unsupported version", () => {
    const result = load("pullrequest", fixture("pullrequest.yaml").replace('version: "1.0"', 'version: "2.0"'));
    expect(result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '4:12 unsupported config format `version` "2.0"; this repol supports `version: 1`',
    ]);
  });

  it("refuses a pull request policy without rules, naming the missing key", () => {
    const result = load("pullrequest", 'policy:\n  version: "1.0"\n  metadata: {description: no rules yet}\n');
    expect(result.ok ? [] : result.errors.map((e) => `${e.path} ${e.message}`)).toEqual(["/policy/rules missing required key `rules` in `policy`"]);
  });
});
