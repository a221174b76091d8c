import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { findSchemasDir, readConfigSchema } from "../../src/policy/config-schemas.js";
import { SCHEDULE_FORMATS } from "../../src/policy/schedule-formats.js";
import type {
  BranchRule,
  DeployEnvironment,
  DeployRuleName,
  DeployRules,
  Enforcement,
  PullRequestRuleName,
  PullRequestRules,
} from "../../src/policy/load-repo-config.js";
import type { PolicyName } from "../../src/domain/policy-name.js";

type Schema = Record<string, unknown>;
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const kinds: PolicyName[] = ["deploy", "pullrequest"];

/** Every subschema with the JSON pointer that reaches it. */
function subschemas(schema: Schema, at = "#"): Array<[string, Schema]> {
  const found: Array<[string, Schema]> = [[at, schema]];
  for (const keyword of ["properties", "definitions"]) {
    for (const [name, child] of Object.entries((schema[keyword] ?? {}) as Record<string, Schema>)) {
      found.push(...subschemas(child, `${at}/${keyword}/${name}`));
    }
  }
  for (const keyword of ["items", "additionalProperties", "propertyNames"]) {
    const child = schema[keyword];
    if (typeof child === "object" && child !== null) found.push(...subschemas(child as Schema, `${at}/${keyword}`));
  }
  return found;
}

describe("the config schemas", () => {
  it.each(kinds)("%s: every property and definition has a description", (kind) => {
    const isBareReference = (schema: Schema) => Object.keys(schema).join() === "$ref";
    const undocumented = subschemas(readConfigSchema(kind))
      .filter(([, schema]) => !isBareReference(schema))
      .filter(([, schema]) => typeof schema.description !== "string" || schema.description.length < 10)
      .map(([at]) => at);
    expect(undocumented).toEqual([]);
  });

  it.each(kinds)("%s: every mapping rejects unknown keys", (kind) => {
    const open = subschemas(readConfigSchema(kind))
      .filter(([, schema]) => schema.type === "object" && schema.additionalProperties !== false)
      .filter(([, schema]) => typeof schema.additionalProperties !== "object" || schema.properties !== undefined)
      .map(([at]) => at);
    expect(open).toEqual([]);
  });

  it.each(kinds)("%s: compiles in AJV strict mode", (kind) => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    ajv.addFormat("branch-glob", { type: "string", validate: () => true });
    for (const name of Object.keys(SCHEDULE_FORMATS)) ajv.addFormat(name, { type: "string", validate: () => true });
    ajv.addFormat("wait-duration", { type: "string", validate: () => true });
    expect(() => ajv.compile(readConfigSchema(kind))).not.toThrow();
  });

  it("defines branch patterns identically in both files", () => {
    const [deploy, pullrequest] = kinds.map((kind) => readConfigSchema(kind).definitions as Record<string, Schema>);
    for (const name of ["branchPattern", "branchPatternsOrAny"]) expect(deploy[name]).toEqual(pullrequest[name]);
  });

  const policyProperty = (kind: PolicyName, name: string) => {
    const policy = (readConfigSchema(kind).properties as Record<string, Schema>).policy;
    return new Ajv({ strict: true, allowUnionTypes: true }).compile((policy.properties as Record<string, Schema>)[name]);
  };

  it.each(kinds)("%s: accepts only format version 1, as an integer or as gitpoli's 1.x strings", (kind) => {
    const version = policyProperty(kind, "version");
    const accepted = [1, "1", "1.0", "1.0.0", "1.12", "1.2.30"];
    const refused = [2, 0, 1.5, "2", "2.0", "0.9", "1.x", "1.", "1.0.0.0", "v1", " 1", "1.0\n", "", null, true, [1], { major: 1 }];
    expect(accepted.filter((value) => !version(value))).toEqual([]);
    expect(refused.filter((value) => version(value))).toEqual([]);
  });

  it.each(kinds)("%s: accepts metadata as a mapping of any values and nothing else", (kind) => {
    const metadata = policyProperty(kind, "metadata");
    expect(metadata({ description: "Rules", last_updated: "2026-03-15", owners: ["a"], review: { days: 90 }, draft: null })).toBe(true);
    expect([[], "notes", 3, null].filter((value) => metadata(value))).toEqual([]);
  });

  it("lists exactly the rules the TypeScript types declare", () => {
    // `Required<...>` literals fail to compile if the types gain or lose a field; the schema is compared at run time.
    const deployRules: Required<DeployRules> = {
      approvals_required: 0,
      allowed_branches: null,
      tests_passed: false,
      required_checks: [],
      signed_off: false,
      max_deployments_per_day: 1,
      deploy_windows: [],
      freeze: [],
    };
    const deployEnforcement: Required<Enforcement<DeployRuleName>> = {
      approvals_required: "warn",
      allowed_branches: "warn",
      tests_passed: "warn",
      signed_off: "warn",
      max_deployments_per_day: "warn",
      deploy_windows: "warn",
      freeze: "warn",
    };
    const pullRequestEnforcement: Required<Enforcement<PullRequestRuleName>> = {
      branch_rules: "warn",
      allowed_target_branches: "warn",
      approvals_required: "warn",
      signed_off: "block",
    };
    const environment: Required<DeployEnvironment> = {
      enabled: true,
      rules: deployRules,
      enforcement: deployEnforcement,
      wait: { for: ["tests_passed"], max: "1h" },
    };
    const pullRequestRules: Required<PullRequestRules> = { allowed_target_branches: null, approvals_required: 0, signed_off: false };
    const branchRule: Required<BranchRule> = { source: "a", target: "b" };
    const propertiesAt = (kind: PolicyName, ...path: string[]) => {
      let schema = readConfigSchema(kind);
      for (const step of path) schema = (schema[step] ?? {}) as Schema;
      return Object.keys(schema.properties as Schema).sort();
    };
    const deployEnvironment = ["definitions", "environment"];
    expect(propertiesAt("deploy", ...deployEnvironment)).toEqual(Object.keys(environment).sort());
    expect(propertiesAt("deploy", ...deployEnvironment, "properties", "rules")).toEqual(Object.keys(deployRules).sort());
    const prPolicy = ["properties", "policy", "properties"];
    expect(propertiesAt("pullrequest", ...prPolicy, "rules")).toEqual(Object.keys(pullRequestRules).sort());
    expect(propertiesAt("deploy", ...deployEnvironment, "properties", "enforcement")).toEqual(Object.keys(deployEnforcement).sort());
    expect(propertiesAt("pullrequest", ...prPolicy, "enforcement")).toEqual(Object.keys(pullRequestEnforcement).sort());
    expect(propertiesAt("pullrequest", ...prPolicy, "branch_rules", "items")).toEqual(Object.keys(branchRule).sort());
  });
});

describe("findSchemasDir", () => {
  it("finds schemas/ from the source folder and from the compiled dist folder", () => {
    const expected = join(repoRoot, "schemas");
    expect(findSchemasDir(join(repoRoot, "src", "policy"))).toBe(expected);
    expect(findSchemasDir(join(repoRoot, "dist", "src", "policy"))).toBe(expected);
  });

  it("says where it looked when the schemas are missing", () => {
    expect(() => findSchemasDir("/nonexistent/a/b")).toThrow("repol config schemas not found; looked in /nonexistent/schemas and /schemas");
  });
});
