// Which Rego packages the rule files declare, and the generated module that gathers every
// repol.<kind>.* package's deny, warn and violation into one document: one entrypoint, one evaluation.
import type { CustomPolicyKind, CustomRuleError, RuleFile } from "./custom-rule-types.js";

export const ENTRY_PACKAGE = "repol_custom";
/** Where the entry module is written for OPA; users never see this path (see placeEntryErrors). */
export const ENTRY_PATH = ".repol-generated/entry.rego";
export const ENTRYPOINT = `${ENTRY_PACKAGE}/result`;
/** The three rule names read from each package, after Conftest. */
export const FINDING_RULES = ["deny", "violation", "warn"] as const;

const PACKAGE_LINE = /^[ \t]*package[ \t]+(\S+)/m;
const PLAIN_PACKAGE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export type PackagesResult = { ok: true; byFile: Map<string, string> } | { ok: false; errors: CustomRuleError[] };

/** Each file's package; a file without a plain dotted package name is an error (OPA reports bad syntax). */
export function packagesOf(files: readonly RuleFile[]): PackagesResult {
  const byFile = new Map<string, string>();
  const errors: CustomRuleError[] = [];
  for (const file of files) {
    const match = PACKAGE_LINE.exec(withoutComments(file.text));
    if (match === null) continue; // OPA's own parse error says what is missing.
    const name = match[1]!;
    if (name === ENTRY_PACKAGE || name.startsWith(`${ENTRY_PACKAGE}.`)) {
      errors.push(at(file.text, match.index, file.path, `package ${name} is reserved for repol; rename it`));
    } else if (!PLAIN_PACKAGE.test(name)) {
      errors.push(at(file.text, match.index, file.path, `package ${name}: repol reads only dotted names such as repol.deploy.labels`));
    } else byFile.set(file.path, name);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, byFile };
}

/** The packages a policy applies: repol.deploy.<name> or repol.pullrequest.<name>, tests left out. */
export function policyPackages(kind: CustomPolicyKind, byFile: ReadonlyMap<string, string>): string[] {
  const prefix = `repol.${kind}.`;
  const names = [...byFile].filter(([path, name]) => !isTestFile(path) && name.startsWith(prefix)).map(([, name]) => name);
  return [...new Set(names)].sort();
}

/** Rego source of the entry module for `packages` (names already checked to be plain). */
export function entryModule(packages: readonly string[]): string {
  const lines = [`package ${ENTRY_PACKAGE}`, ""];
  const fields = packages.map((name, index) => {
    const parts = FINDING_RULES.map((rule) => {
      const local = `p${index}_${rule}`;
      lines.push(`default ${local} := []`, `${local} := data.${name}.${rule}`);
      return `"${rule}": ${local}`;
    });
    return `"${name}": {${parts.join(", ")}}`;
  });
  lines.push("", `result := {${fields.join(", ")}}`, "");
  return lines.join("\n");
}

/**
 * An error OPA reports in the entry module comes from a package's deny, violation or warn being
 * something the entry cannot read (a function, say): it is placed on the file declaring that package.
 */
export function placeEntryErrors(errors: readonly CustomRuleError[], byFile: ReadonlyMap<string, string>): CustomRuleError[] {
  return errors.map((error) => {
    if (error.file !== ENTRY_PATH) return error;
    const [, pkg, rule] = /data\.([\w.]+)\.(deny|violation|warn)\b/.exec(error.message) ?? [];
    const file = [...byFile].find(([, name]) => name === pkg)?.[0];
    if (pkg === undefined || file === undefined) return { ...error, file: ".repol/policies", line: 1, column: 1 };
    const message = `${pkg}.${rule} must be a set rule (\`${rule} contains msg if { … }\`): ${error.message}`;
    return { file, line: 1, column: 1, message, package: pkg };
  });
}

export const isTestFile = (path: string): boolean => path.endsWith("_test.rego");

/** `test_*` rules of a test file, as `opa test` finds them (rule heads start a line). */
export function testRulesOf(text: string): string[] {
  return [...new Set([...withoutComments(text).matchAll(/^(test_[A-Za-z0-9_]*)\b/gm)].map((match) => match[1]!))];
}

/** Comments blanked (same length), so offsets still point into the original text. */
function withoutComments(text: string): string {
  return text.replace(/#[^\n]*/g, (comment) => " ".repeat(comment.length));
}

function at(text: string, offset: number, file: string, message: string): CustomRuleError {
  const before = text.slice(0, offset + (text.slice(offset).search(/\S/) || 0));
  const line = before.split("\n").length;
  return { file, line, column: before.length - before.lastIndexOf("\n"), message };
}
