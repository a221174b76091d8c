// The step after the built-in evaluation: the repository's `.repol/policies` and the organisation's
// (its `.github` repository's) judged on the same input, each set on its own so each is compiled and
// cached by its own digest. Anything that keeps a set from being judged in full — a file the facts
// could not read, a compile error, a refused builtin, a timeout, no engine at all — is an error, and
// an error verdict never allows.
import type { CustomRuleOrigin, CustomRuleSource } from "../domain/custom-rule-source.js";
import type { Violation } from "../domain/verdict.js";
import type { CustomFinding, CustomPolicyKind, CustomRuleError, CustomRulesResult, RuleFile } from "../policy/custom/custom-rule-types.js";
import type { PolicySnapshot, RuleFiles } from "./facts.js";
import { withFindings, type JudgedVerdict } from "./with-findings.js";

/** The custom rules engine as a decision sees it; the server builds the real one (createCustomRules). */
export interface CustomRuleEvaluator {
  evaluate(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[], input: unknown): Promise<CustomRulesResult>;
}

/** A finding or an error, marked with the set it came from. */
export type Sourced<T> = T & { origin: CustomRuleOrigin; repository: string };

export interface CustomRulesApplied {
  sources: CustomRuleSource[];
  blocking: Sourced<CustomFinding>[];
  warnings: Sourced<CustomFinding>[];
  errors: Sourced<CustomRuleError>[];
}

export const NO_CUSTOM_ENGINE =
  "this repol has no custom rules engine, so it cannot apply the rules in .repol/policies; start the server (not a bare decision) to judge them";

/** Null when neither the repository nor its organisation holds rule files. */
export async function applyCustomRules(
  policy: CustomPolicyKind,
  snapshot: PolicySnapshot,
  input: unknown,
  evaluator: CustomRuleEvaluator | undefined,
): Promise<CustomRulesApplied | null> {
  const sets: { origin: CustomRuleOrigin; repository: string; rules: RuleFiles }[] = [];
  if (snapshot.rules) sets.push({ origin: "repository", repository: snapshot.repository?.fullName ?? "this repository", rules: snapshot.rules });
  if (snapshot.org) sets.push({ origin: "organisation", repository: snapshot.org.repository, rules: snapshot.org.rules });
  const present = sets.filter(({ rules }) => rules.files.length > 0 || rules.problem !== null);
  if (present.length === 0) return null;

  const applied: CustomRulesApplied = { sources: [], blocking: [], warnings: [], errors: [] };
  for (const { origin, repository, rules } of present) {
    const mark = <T extends object>(item: T): Sourced<T> => ({ ...item, origin, repository });
    const files = rules.files.map(({ path, sha }) => ({ path, sha }));
    const result = await judgeSet(policy, rules, input, evaluator);
    applied.sources.push({ origin, repository, digest: result.digest, files });
    if (!result.ok) {
      applied.errors.push(...result.errors.map(mark));
      continue;
    }
    applied.blocking.push(...result.findings.blocking.map(mark));
    applied.warnings.push(...result.findings.warnings.map(mark));
  }
  return applied;
}

/** The engine's result, or (digest null) why the set never reached it. */
type SetResult = CustomRulesResult | { ok: false; digest: null; errors: CustomRuleError[] };

async function judgeSet(policy: CustomPolicyKind, rules: RuleFiles, input: unknown, evaluator: CustomRuleEvaluator | undefined): Promise<SetResult> {
  const failed = (message: string): SetResult => ({ ok: false, digest: null, errors: [unplaced(message)] });
  if (rules.problem !== null) return failed(`repol cannot read every rule file, so it applies none: ${rules.problem}`);
  if (evaluator === undefined) return failed(NO_CUSTOM_ENGINE);
  const files: RuleFile[] = [];
  for (const file of rules.files) {
    const text = textOf(file.text);
    if (text === null) return failed(`${file.path} is not UTF-8 text`);
    files.push({ path: file.path, text, sha: file.sha });
  }
  try {
    return await evaluator.evaluate(policy, files, input);
  } catch (error) {
    // The engine promises plain data; should it throw anyway, the rules were still not applied.
    return failed(`custom rules could not be evaluated: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function unplaced(message: string): CustomRuleError {
  return { file: ".repol/policies", line: 1, column: 1, message };
}

function textOf(text: string | Uint8Array): string | null {
  if (typeof text === "string") return text;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(text);
  } catch {
    return null;
  }
}

/** The verdict with the custom rules applied: errors end it in "error", findings join it. */
export function withCustomRules<V extends JudgedVerdict & { error: string | null }>(
  verdict: V,
  applied: CustomRulesApplied | null,
): V & { customRules?: CustomRulesApplied } {
  if (applied === null) return verdict;
  if (applied.errors.length > 0) {
    const error = verdict.outcome === "error" && verdict.error !== null ? verdict.error : customRulesError(applied.errors);
    return { ...verdict, outcome: "error", error, customRules: applied };
  }
  return { ...withFindings(verdict, { blocking: applied.blocking.map(asViolation), warnings: applied.warnings.map(asViolation) }), customRules: applied };
}

/** A finding as a verdict lists it: its package (and organisation) travel with it into every rendering. */
export function asViolation(finding: Sourced<CustomFinding>): Violation {
  const { origin, repository, ...rest } = finding;
  return origin === "organisation" ? { ...rest, organisation: repository } : rest;
}

/** One line per error: `where: message (package)`, the organisation's named as such. */
export function customRulesError(errors: readonly Sourced<CustomRuleError>[]): string {
  const lines = errors.map((e) => {
    const where = `${e.origin === "organisation" ? `${e.repository} ` : ""}${e.file}:${e.line}:${e.column}`;
    return `${where}: ${e.message}${e.package ? ` (${e.package})` : ""}`;
  });
  return `custom rules could not be applied: ${lines.join("; ")}`;
}
