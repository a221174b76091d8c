import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { readConfigSchema } from "../../src/policy/config-schemas.js";
import { firstInvalidUtf8Byte } from "../../src/policy/decode-config-text.js";
import { waitDurationProblem } from "../../src/policy/wait-config.js";
import { branchPatternProblem } from "../../src/policy/glob-syntax.js";
import { parseRepoConfig, type ConfigResult } from "../../src/policy/load-repo-config.js";
import { SCHEDULE_FORMATS } from "../../src/policy/schedule-formats.js";
import type { PolicyName } from "../../src/domain/policy-name.js";

// An independent validator that never fills defaults: an ok config must already satisfy the schema.
const strictValidators = Object.fromEntries(
  (["deploy", "pullrequest"] as const).map((kind) => {
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    ajv.addFormat("branch-glob", { type: "string", validate: (p: string) => branchPatternProblem(p) === null });
    for (const [name, { validate }] of Object.entries(SCHEDULE_FORMATS)) ajv.addFormat(name, { type: "string", validate });
    ajv.addFormat("wait-duration", { type: "string", validate: (text: string) => waitDurationProblem(text) === null });
    return [kind, ajv.compile(readConfigSchema(kind))];
  }),
) as Record<PolicyName, ValidateFunction>;

const parse = (kind: PolicyName, input: string | Uint8Array, file: string): ConfigResult<unknown> =>
  kind === "deploy" ? parseRepoConfig("deploy", input, file) : parseRepoConfig("pullrequest", input, file);

/** The contract of parseRepoConfig for any input whatsoever. */
function expectWellFormedResult(kind: PolicyName, input: string | Uint8Array): ConfigResult<unknown> {
  const file = `.repol/${kind}.yaml`;
  const result = parse(kind, input, file);
  if (result.ok) {
    expect(strictValidators[kind](result.config), JSON.stringify(strictValidators[kind].errors)).toBe(true);
    return result;
  }
  const text = typeof input === "string" ? input : new TextDecoder().decode(input);
  const lineCount = text.split("\n").length;
  expect(result.errors.length).toBeGreaterThan(0);
  expect(result.errors.length).toBeLessThanOrEqual(51);
  // AJV's stock phrases must never reach a user.
  const ajvWording = /must NOT have|must have required property|must be equal to one of|must match (format|pattern)/;
  const malformed = result.errors.filter(
    (error) =>
      error.file !== file ||
      !Number.isInteger(error.line) ||
      error.line < 1 ||
      error.line > lineCount ||
      !Number.isInteger(error.column) ||
      error.column < 1 ||
      typeof error.path !== "string" ||
      error.message.length === 0 ||
      ajvWording.test(error.message),
  );
  expect(malformed).toEqual([]);
  return result;
}

const kindArb = fc.constantFrom<PolicyName>("deploy", "pullrequest");
const runs = { numRuns: 300 };

describe("parseRepoConfig never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(kindArb, fc.string({ unit: "binary", maxLength: 400 }), (kind, text) => {
        expectWellFormedResult(kind, text);
      }),
      runs,
    );
  });

  it("on arbitrary bytes", () => {
    fc.assert(
      fc.property(kindArb, fc.uint8Array({ maxLength: 400 }), (kind, bytes) => {
        expectWellFormedResult(kind, bytes);
      }),
      runs,
    );
  });

  it("on text made of YAML's special characters", () => {
    const yamlish = fc.string({ unit: fc.constantFrom(..."-?:,[]{}#&*!|>'\"%@` \n\tab1policy".split("")), maxLength: 300 });
    fc.assert(
      fc.property(kindArb, yamlish, (kind, text) => {
        expectWellFormedResult(kind, text);
      }),
      runs,
    );
  });

  it("on this repository's configs with random characters inserted", () => {
    const files = (["deploy", "pullrequest"] as const).map((kind) => ({
      kind,
      text: readFileSync(fileURLToPath(new URL(`../../.repol/${kind}.yaml`, import.meta.url)), "utf8"),
    }));
    const edit = fc.tuple(fc.nat(), fc.string({ unit: "binary", maxLength: 3 }), fc.nat({ max: 3 }));
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 4 }), ({ kind, text }, edits) => {
        let mutated = text;
        for (const [at, insert, remove] of edits) {
          const i = at % (mutated.length + 1);
          mutated = mutated.slice(0, i) + insert + mutated.slice(i + remove);
        }
        expectWellFormedResult(kind, mutated);
      }),
      runs,
    );
  });

  it("on random YAML documents built from config-like keys and values", () => {
    const key = fc.constantFrom(
      "policy",
      "version",
      "environments",
      "production",
      "Production",
      "rules",
      "enabled",
      "approvals_required",
      "allowed_branches",
      "tests_passed",
      "required_checks",
      "signed_off",
      "max_deployments_per_day",
      "branch_rules",
      "source",
      "target",
      "allowed_target_branches",
      "approval_required",
      "__proto__",
      "constructor",
      "<<",
      "1",
    );
    const scalar = fc.oneof(
      fc.integer({ min: -3, max: 200 }),
      fc.boolean(),
      fc.constant(null),
      fc.double(),
      fc.constantFrom("main", "release/*", "[", "{a", "yes", "1", "", "refs/heads/main", "a b"),
    );
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 5 }),
      ),
    }));
    const document = fc.record({ policy: fc.dictionary(key, value, { maxKeys: 5 }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(kindArb, document, fc.boolean(), (kind, doc, asFlow) => {
        const text = asFlow ? JSON.stringify(doc) : stringify(doc);
        expectWellFormedResult(kind, text);
      }),
      runs,
    );
  });
});

describe("parseRepoConfig on valid configs", () => {
  const pattern = fc.constantFrom("main", "release/*", "hotfix/**", "{main,develop}", "v[0-9]*", "feature/?x");
  const patterns = fc.option(fc.uniqueArray(pattern, { maxLength: 4 }), { nil: null });
  const rules = fc.record(
    {
      approvals_required: fc.integer({ min: 0, max: 100 }),
      allowed_branches: patterns,
      tests_passed: fc.boolean(),
      required_checks: fc.uniqueArray(fc.constantFrom("test", "lint", "build / linux", "ci/circleci: e2e"), { maxLength: 3 }),
      signed_off: fc.boolean(),
      max_deployments_per_day: fc.integer({ min: 1, max: 100_000 }),
    },
    { requiredKeys: [] },
  );
  const environments = fc
    .uniqueArray(fc.constantFrom("production", "staging", "qa/eu", "Preview 1", "dr"), { minLength: 1, maxLength: 4 })
    .chain((names) => fc.tuple(...names.map((name) => fc.tuple(fc.constant(name), fc.record({ enabled: fc.boolean(), rules }, { requiredKeys: ["rules"] })))))
    .map((entries) => Object.fromEntries(entries));

  it("accepts any schema-valid deploy config, in block or flow style, and returns it with defaults filled in", () => {
    fc.assert(
      fc.property(environments, fc.boolean(), (envs, asFlow) => {
        const written = { policy: { version: 1, environments: envs } };
        const result = expectWellFormedResult("deploy", asFlow ? JSON.stringify(written) : stringify(written));
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const withDefaults = Object.fromEntries(
          Object.entries(envs).map(([name, env]) => [
            name,
            {
              enabled: true,
              ...env,
              rules: { approvals_required: 0, allowed_branches: null, tests_passed: false, signed_off: false, ...env.rules },
            },
          ]),
        );
        expect(result.config).toEqual({ policy: { version: 1, environments: withDefaults } });
      }),
      runs,
    );
  });
});

describe("firstInvalidUtf8Byte", () => {
  it("finds a bad byte exactly when a strict UTF-8 decoder refuses the bytes", () => {
    const decodes = (bytes: Uint8Array) => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    const mostlyText = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .tuple(fc.string({ unit: "binary", maxLength: 20 }), fc.uint8Array({ maxLength: 3 }), fc.string({ maxLength: 5 }))
        .map(([a, junk, b]) => new Uint8Array([...new TextEncoder().encode(a), ...junk, ...new TextEncoder().encode(b)])),
    );
    fc.assert(
      fc.property(mostlyText, (bytes) => {
        const offset = firstInvalidUtf8Byte(bytes);
        expect(offset === -1).toBe(decodes(bytes));
        if (offset >= 0) expect(decodes(bytes.subarray(0, offset))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
