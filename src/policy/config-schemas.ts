import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import type { PolicyName } from "../domain/policy-name.js";
import { branchPatternProblem } from "./glob-syntax.js";
import { SCHEDULE_FORMATS } from "./schedule-formats.js";
import { waitDurationProblem } from "./wait-config.js";

const SCHEMA_FILES: Record<PolicyName, string> = {
  deploy: "deploy.schema.json",
  pullrequest: "pullrequest.schema.json",
};

/**
 * The `schemas/` folder at the repository root. This module runs from src/policy
 * (tsx, tests) and from dist/src/policy (compiled), one level apart.
 */
export function findSchemasDir(moduleDir = dirname(fileURLToPath(import.meta.url))): string {
  const candidates = [join(moduleDir, "..", "..", "schemas"), join(moduleDir, "..", "..", "..", "schemas")];
  const found = candidates.find((dir) => existsSync(join(dir, SCHEMA_FILES.deploy)));
  if (found === undefined) throw new Error(`repol config schemas not found; looked in ${candidates.join(" and ")}`);
  return found;
}

export function readConfigSchema(kind: PolicyName, dir = findSchemasDir()): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, SCHEMA_FILES[kind]), "utf8")) as Record<string, unknown>;
}

/** The config files repol validates: a repository's policies and the organisation's `org.yaml`. */
export type ConfigKind = PolicyName | "org";

const ORG_SCHEMA_FILE = "org.schema.json";

function compileValidators(): Record<ConfigKind, ValidateFunction> {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    // Optional rules get their documented defaults, so the policy sees every rule spelled out.
    useDefaults: true,
    allowUnionTypes: true,
    // Error messages are built from the failing subschema (`parentSchema`), never from AJV's text.
    verbose: true,
  });
  ajv.addFormat("branch-glob", { type: "string", validate: (pattern: string) => branchPatternProblem(pattern) === null });
  for (const [name, format] of Object.entries(SCHEDULE_FORMATS)) ajv.addFormat(name, { type: "string", validate: format.validate });
  ajv.addFormat("wait-duration", { type: "string", validate: (text: string) => waitDurationProblem(text) === null });
  const dir = findSchemasDir();
  return {
    deploy: ajv.compile(readConfigSchema("deploy", dir)),
    pullrequest: ajv.compile(readConfigSchema("pullrequest", dir)),
    org: ajv.compile(JSON.parse(readFileSync(join(dir, ORG_SCHEMA_FILE), "utf8")) as Record<string, unknown>),
  };
}

const validators = compileValidators();

/** The compiled validator of a config kind. It fills in defaults on the data it validates. */
export function configValidator(kind: ConfigKind): ValidateFunction {
  return validators[kind];
}
