// Compiles a checkout's .repol/policies the way the App will, for both policies, and reports each
// rule file as ok or with its file:line:col errors.
import { join } from "node:path";
import type { ConfigError } from "../policy/decision.js";
import { createCustomRules } from "../policy/custom/custom-rules.js";
import type { CustomRuleError } from "../policy/custom/custom-rule-types.js";
import { evaluationPool } from "../policy/custom/evaluation-pool.js";
import { readRuleFiles } from "./read-rule-files.js";
import type { FileVerdict } from "./validate-repo-dir.js";

/** `root` is the checkout; `shown` turns a path into what the user should see. */
export async function validateRuleFiles(root: string, shown: (path: string) => string): Promise<FileVerdict[]> {
  const files = readRuleFiles(root);
  if (files.length === 0) return [];
  // Compiling only: the pool never starts a worker.
  const rules = createCustomRules({ pool: evaluationPool({ workers: 1 }) });
  try {
    const errors = new Map<string, CustomRuleError>();
    for (const policy of ["deploy", "pullrequest"] as const) {
      const compiled = await rules.compile(policy, files);
      // Both policies compile the same files: one error would otherwise be reported twice.
      if (!compiled.ok) for (const error of compiled.errors) errors.set(JSON.stringify([error.file, error.line, error.column, error.message]), error);
    }
    const all = [...errors.values()];
    const named = new Set(files.map((file) => file.path));
    const unplaced = all.filter((error) => !named.has(error.file));
    const verdicts = files.map((file) =>
      verdictOf(
        shown(join(root, file.path)),
        all.filter((error) => error.file === file.path),
        shown,
        root,
      ),
    );
    return unplaced.length > 0 ? [...verdicts, verdictOf(shown(join(root, ".repol", "policies")), unplaced, shown, root)] : verdicts;
  } finally {
    await rules.close();
  }
}

function verdictOf(file: string, errors: CustomRuleError[], shown: (path: string) => string, root: string): FileVerdict {
  const configErrors = errors.map(
    (error): ConfigError => ({ file: shown(join(root, error.file)), line: error.line, column: error.column, path: "", message: error.message }),
  );
  return { file, kind: "rules", errors: configErrors };
}
