// Reads the entry module's untyped result ({<package>: {deny, violation, warn}}) as findings. Anything
// not shaped as documented is an error naming the package: a finding repol cannot read must not vanish.
import type { CustomFinding } from "./custom-rule-types.js";

export type FindingsResult = { ok: true; blocking: CustomFinding[]; warnings: CustomFinding[] } | { ok: false; package?: string; message: string };

export function readFindings(resultSet: unknown, packages: readonly string[]): FindingsResult {
  if (!Array.isArray(resultSet) || resultSet.length !== 1 || !isRecord(resultSet[0]) || !isRecord(resultSet[0].result)) {
    return { ok: false, message: `the custom rules returned ${shown(resultSet)}, expected one result object` };
  }
  const result = resultSet[0].result;
  const blocking: CustomFinding[] = [];
  const warnings: CustomFinding[] = [];
  for (const pkg of packages) {
    const rules = result[pkg];
    if (!isRecord(rules)) return { ok: false, package: pkg, message: `package ${pkg} gave no result` };
    for (const [rule, enforcement, into] of [
      ["deny", "block", blocking],
      ["violation", "block", blocking],
      ["warn", "warn", warnings],
    ] as const) {
      const items = rules[rule];
      if (!Array.isArray(items))
        return { ok: false, package: pkg, message: `${pkg}.${rule} is ${shown(items)}; write it as a set: ${rule} contains msg if { … }` };
      for (const item of items) {
        const finding = findingOf(item, pkg, enforcement);
        if (typeof finding === "string") return { ok: false, package: pkg, message: `${pkg}.${rule} holds ${shown(item)}: ${finding}` };
        into.push(finding);
      }
    }
  }
  return { ok: true, blocking: sortFindings(blocking), warnings: sortFindings(warnings) };
}

/** A finding, or why the value cannot be one. */
function findingOf(item: unknown, pkg: string, enforcement: "block" | "warn"): CustomFinding | string {
  const fallbackCode = `custom.${pkg}`;
  if (typeof item === "string") return { code: fallbackCode, msg: item, package: pkg, enforcement };
  if (!isRecord(item) || typeof item.msg !== "string") return "expected a string or an object with a string msg";
  if (item.code !== undefined && (typeof item.code !== "string" || item.code === "")) return "its code must be a non-empty string";
  const { msg, code, _loc, ...detail } = item;
  const finding: CustomFinding = { ...detail, code: (code as string | undefined) ?? fallbackCode, msg, package: pkg, enforcement };
  // _loc points an annotation at a line; one repol cannot read is left out rather than guessed.
  if (isRecord(_loc) && typeof _loc.file === "string" && _loc.file !== "") {
    finding.file = _loc.file;
    if (Number.isInteger(_loc.line) && (_loc.line as number) > 0) finding.line = _loc.line as number;
  }
  return finding;
}

function sortFindings(findings: CustomFinding[]): CustomFinding[] {
  const key = (f: CustomFinding) => `${f.package}\u0000${f.code}\u0000${f.msg}`;
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
