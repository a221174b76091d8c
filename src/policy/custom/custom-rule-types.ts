// Custom Rego rules as plain data: the files a repository holds, what they found, what went wrong.
import type { Violation } from "../../domain/verdict.js";

/** Which policy a set of rules is compiled for: packages repol.deploy.* or repol.pullrequest.*. */
export type CustomPolicyKind = "deploy" | "pullrequest";

/** One `.repol/policies/**\/*.rego` file as read from the default branch. */
export interface RuleFile {
  /** The repository path, e.g. .repol/policies/labels.rego; errors name it. */
  path: string;
  text: string;
  /** Git blob SHA, recorded with the decision so the exact sources can be found again. */
  sha: string;
}

/** A custom rule's finding, shaped like a built-in violation and naming where it came from. */
export interface CustomFinding extends Violation {
  package: string;
  enforcement: "block" | "warn";
  file?: string;
  line?: number;
}

/** Why custom rules could not be applied; `file` is a repository path when one is to blame. */
export interface CustomRuleError {
  file: string;
  line: number;
  column: number;
  message: string;
  package?: string;
}

export type CustomRulesResult =
  | { ok: true; digest: string; files: { path: string; sha: string }[]; findings: { blocking: CustomFinding[]; warnings: CustomFinding[] } }
  | { ok: false; digest: string; errors: CustomRuleError[] };

export type CustomRulesCompiled = { ok: true; digest: string } | { ok: false; digest: string; errors: CustomRuleError[] };

/** What the wiring step is handed: evaluates a repository's rules for one policy input. Never throws. */
export interface CustomRules {
  evaluate(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[], input: unknown): Promise<CustomRulesResult>;
  /** Compiles (or finds) the module only, as `repol validate` does. */
  compile(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[]): Promise<CustomRulesCompiled>;
  close(): Promise<void>;
}

/** A file-less error (a limit, a missing OPA): pinned to the first rule file so it still has a place. */
export function generalError(message: string, file = ".repol/policies", pkg?: string): CustomRuleError {
  return { file, line: 1, column: 1, message, ...(pkg ? { package: pkg } : {}) };
}
