import type { ErrorObject } from "ajv";
import { closestKey } from "./closest-key.js";
import type { ConfigError } from "./decision.js";
import { waitDurationProblem } from "./wait-config.js";
import { branchPatternProblem } from "./glob-syntax.js";
import { SCHEDULE_FORMATS } from "./schedule-formats.js";
import { escapePointerSegment, pointerSegments, type Position, type YamlLocator } from "./locate-yaml-node.js";

type Schema = Record<string, unknown>;

/** Turns AJV's errors into positioned errors a person can act on. AJV's own wording never gets through. */
export function schemaErrorsToConfigErrors(errors: ErrorObject[], locate: YamlLocator, file: string): ConfigError[] {
  const result: ConfigError[] = [];
  const valueErrorPaths = new Set<string>();
  const push = (position: Position, path: string, message: string) => result.push({ file, ...position, path, message });

  for (const error of errors) {
    const schema = (error.parentSchema ?? {}) as Schema;
    const path = error.instancePath;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === "propertyNames") continue; // reported through its inner errors, which carry propertyName
    if (error.propertyName !== undefined) {
      const keyPath = `${path}/${escapePointerSegment(error.propertyName)}`;
      push(locate.keyAt(keyPath), keyPath, invalidNameMessage(error.propertyName, error.keyword, schema));
      continue;
    }
    switch (error.keyword) {
      case "additionalProperties": {
        const key = String(params.additionalProperty);
        const keyPath = `${path}/${escapePointerSegment(key)}`;
        push(locate.keyAt(keyPath), keyPath, unknownKeyMessage(key, path, schema));
        break;
      }
      case "required": {
        const missing = String(params.missingProperty);
        const where = path === "" ? "at the top level" : `in \`${fieldLabel(path)}\``;
        push(locate.keyAt(path), `${path}/${escapePointerSegment(missing)}`, `missing required key \`${missing}\` ${where}`);
        break;
      }
      case "uniqueItems": {
        const [later, earlier] = [Number(params.i), Number(params.j)];
        const item = itemAt(error.data, later);
        const message = `\`${fieldLabel(path)}\` lists ${describeValue(item)} twice (entries ${earlier + 1} and ${later + 1})`;
        push(locate.valueAt(`${path}/${later}`), `${path}/${later}`, message);
        break;
      }
      case "maxItems":
      case "minProperties": {
        const limit = Number(params.limit);
        const message =
          error.keyword === "maxItems"
            ? `\`${fieldLabel(path)}\` has ${itemCount(error.data)} entries; at most ${limit} are allowed`
            : `\`${fieldLabel(path)}\` is empty; it must have at least ${limit} ${limit === 1 ? "entry" : "entries"}`;
        push(locate.valueAt(path), path, message);
        break;
      }
      default: {
        // A value may break several keywords (`version: "1"` is neither an integer nor 1); one message says it all.
        if (valueErrorPaths.has(path)) break;
        valueErrorPaths.add(path);
        push(locate.valueAt(path), path, wrongValueMessage(path, error.keyword, error.data, schema));
      }
    }
  }
  return result;
}

function wrongValueMessage(path: string, keyword: string, value: unknown, schema: Schema): string {
  const field = fieldLabel(path);
  if (path === "/policy/version") {
    const supported = ((schema.enum ?? []) as unknown[]).map((v) => `\`version: ${String(v)}\``).join(" or ");
    return `unsupported config format \`version\` ${describeValue(value)}; this repol supports ${supported}`;
  }
  if (schema.format === "branch-glob" && typeof value === "string") {
    const problem = keyword === "pattern" ? forbiddenCharacterProblem(value) : branchPatternProblem(value);
    if (problem !== null) return `\`${field}\`: branch pattern ${describeValue(value)} is invalid: ${problem}`;
  }
  if (schema.format === "wait-duration" && typeof value === "string") {
    return `\`${field}\`: ${describeValue(value)} is not a wait duration: ${waitDurationProblem(value)}`;
  }
  return `\`${field}\` must be ${expectedValue(schema)}, got ${describeValue(value)}${valueHint(value, schema)}`;
}

function expectedValue(schema: Schema): string {
  const format = typeof schema.format === "string" ? SCHEDULE_FORMATS[schema.format] : undefined;
  if (format !== undefined) return format.expected;
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map((value) => `\`${String(value)}\``);
    return values.length <= 2 ? values.join(" or ") : `one of ${values.join(", ")}`;
  }
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const described = types.map((type) => {
    if (type === "integer") return `an integer ${rangeText(schema.minimum, schema.maximum)}`.trimEnd();
    if (type === "boolean") return "true or false";
    if (type === "null") return "null";
    if (type === "object") return "a mapping";
    if (type === "array") {
      const items = (schema.items ?? {}) as Schema;
      const of = items.format === "branch-glob" || items.$ref === "#/definitions/branchPattern" ? "branch patterns" : "names";
      return `a list of ${of}`;
    }
    if (type === "string") {
      const { minLength, maxLength } = schema;
      return typeof minLength === "number" && typeof maxLength === "number" ? `text of ${minLength} to ${maxLength} characters` : "text";
    }
    return String(type);
  });
  if (types.includes("null") && types.includes("array")) return `${described[0]}, or null for any branch`;
  return described.join(" or ") || "a valid value";
}

function rangeText(min: unknown, max: unknown): string {
  if (typeof min === "number" && typeof max === "number") return `from ${min} to ${max}`;
  if (typeof min === "number") return `≥ ${min}`;
  return typeof max === "number" ? `≤ ${max}` : "";
}

function valueHint(value: unknown, schema: Schema): string {
  if (schema.type === "boolean" && typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return " (YAML 1.2 only knows true and false)";
  }
  if (schema.type === "integer" && typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return " (remove the quotes)";
  return "";
}

function unknownKeyMessage(key: string, parentPath: string, schema: Schema): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const known = Object.keys(properties);
  const where = parentPath === "" ? "at the top level" : `in \`${fieldLabel(parentPath)}\``;
  if (key === "<<") return `merge keys (\`<<\`) are not supported ${where}; reuse a whole mapping with an alias (\`*name\`) instead`;
  const suggestion = closestKey(key, known);
  if (suggestion !== null) return `unknown key \`${key}\` ${where} — did you mean \`${suggestion}\`?`;
  const home = known.find((name) => Object.hasOwn((properties[name].properties ?? {}) as object, key));
  if (home !== undefined) return `unknown key \`${key}\` ${where} — it belongs inside \`${home}\``;
  return `unknown key \`${key}\` ${where}; allowed keys: ${known.map((k) => `\`${k}\``).join(", ")}`;
}

function invalidNameMessage(name: string, keyword: string, schema: Schema): string {
  const reason =
    keyword === "maxLength"
      ? `is ${Array.from(name).length} characters long; at most ${String(schema.maxLength)} are allowed`
      : keyword === "minLength"
        ? "is empty"
        : "must not start or end with whitespace or contain control characters";
  return `environment name ${describeValue(name)} ${reason}`;
}

function forbiddenCharacterProblem(pattern: string): string | null {
  const bad = Array.from(pattern).find((c) => /[\u0000-\u0020\u007f~^:\\]/u.test(c));
  if (bad === undefined) return null;
  const shown = bad === " " ? "a space" : /[\u0000-\u001f\u007f]/u.test(bad) ? "a control character" : `\`${bad}\``;
  return `it contains ${shown}, which git branch names cannot contain`;
}

/** `approvals_required`, `allowed_branches[2]`, `branch_rules[0].source` — how a person names the field. */
export function fieldLabel(pointer: string): string {
  const segments = pointerSegments(pointer);
  const last = segments.at(-1);
  if (last === undefined) return "(top level)";
  if (/^\d+$/.test(last)) return `${segments.at(-2) ?? ""}[${last}]`;
  const before = segments.at(-2);
  return before !== undefined && /^\d+$/.test(before) ? `${segments.at(-3) ?? ""}[${before}].${last}` : last;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

function itemAt(list: unknown, index: number): unknown {
  return Array.isArray(list) ? list[index] : undefined;
}

function itemCount(list: unknown): number {
  return Array.isArray(list) ? list.length : 0;
}
