// The policy input schemas (schemas/*-input.schema.json) compiled once with AJV, for tests that check
// real inputs against them.
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import type { PolicyName } from "../../src/domain/policy-name.js";

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), "utf8")) as Record<string, unknown>;

let validators: Record<PolicyName, ValidateFunction> | undefined;

export function inputSchemaErrors(policy: PolicyName, input: unknown): string[] {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    (addFormatsPlugin as unknown as (ajv: Ajv) => void)(ajv);
    ajv.addSchema(read("policy-input-facts"));
    validators = { deploy: ajv.compile(read("deploy-input")), pullrequest: ajv.compile(read("pullrequest-input")) };
  }
  const validate = validators[policy];
  return validate(input) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`);
}
