// The config loader (schemas/*.schema.json) and the policies (policies/*_schema.rego) both check
// `enforcement`; a rule name one accepts and the other refuses would make a valid file fail.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyName } from "../../src/domain/policy-name.js";
import { readConfigSchema } from "../../src/policy/config-schemas.js";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";

type Json = Record<string, unknown>;

const fixture = (name: string): Json => JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-input", `${name}.json`), "utf8"));

/** The rule names the schema accepts in `enforcement`. */
function schemaRuleNames(kind: PolicyName): string[] {
  const schema = readConfigSchema(kind) as Json;
  const at = (value: unknown, ...path: string[]) => path.reduce((node, step) => (node as Json)[step], value) as Json;
  const enforcement =
    kind === "deploy" ? at(schema, "definitions", "environment", "properties", "enforcement") : at(schema, "properties", "policy", "properties", "enforcement");
  return Object.keys(enforcement.properties as Json);
}

/** A copy of an allowed input whose policy sets `enforcement`. */
function withEnforcement(kind: PolicyName, enforcement: Json): Json {
  const input = structuredClone(kind === "deploy" ? fixture("deploy.allowed.release") : fixture("pullrequest.allowed.develop"));
  const policy = (input.repo_policy as Json).policy as Json;
  if (kind === "pullrequest") policy.enforcement = enforcement;
  else ((policy.environments as Json)[input.environment as string] as Json).enforcement = enforcement;
  return input;
}

let engine: WasmPolicyEngine;

beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

describe.each<PolicyName>(["deploy", "pullrequest"])("enforcement in the %s policy", (kind) => {
  it("accepts every rule name the config schema accepts", () => {
    const names = schemaRuleNames(kind);
    expect(names.length).toBeGreaterThan(3);
    for (const level of ["warn", "block"]) {
      const result = engine.evaluate(kind, withEnforcement(kind, Object.fromEntries(names.map((name) => [name, level]))));
      expect(result).toMatchObject({ allow: true, violations: [], warnings: [] });
    }
  });

  it("refuses a rule name the config schema does not accept", () => {
    const result = engine.evaluate(kind, withEnforcement(kind, { required_checks: "warn", reviewers: "warn" }));
    expect(result.allow).toBe(false);
    expect(result.violations.map((v) => [v.code, v.rule])).toEqual([
      ["schema.policy.enforcement_unknown_rule", "required_checks"],
      ["schema.policy.enforcement_unknown_rule", "reviewers"],
    ]);
  });
});
