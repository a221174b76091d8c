// Runs a repository's rule tests twice: with `opa test` (what authors run) and through the WASM build
// and worker pool repol decides with. Both must agree, or a rule could pass its tests and then decide
// differently in production.
import { createHash } from "node:crypto";
import { checkSubmission, compileRego, inRuleFolder, opaErrors, type Compiler } from "./compile-rego.js";
import { COMPILE_TIMEOUT_MS } from "./custom-rule-limits.js";
import type { CustomRuleError, RuleFile } from "./custom-rule-types.js";
import type { EvaluationPool } from "./evaluation-pool.js";
import { runOpa } from "./run-opa.js";

export type TestOutcome = "pass" | "fail" | "error";

export interface RuleTestResult {
  /** Dotted, as `opa test` names it without the leading data. */
  package: string;
  name: string;
  file: string;
  line: number;
  opa: TestOutcome;
  wasm: TestOutcome;
  /** Why the WASM evaluation failed, when it did. */
  message?: string;
}

export type RuleTestRun = { ok: true; tests: RuleTestResult[] } | { ok: false; errors: CustomRuleError[] };

interface OpaTestCase {
  package?: string;
  name?: string;
  location?: { file?: string; row?: number };
  fail?: boolean;
  error?: unknown;
  skip?: boolean;
}

// Examples are loaded as data: a JSON file at repol/examples/<name>/data.json is data.repol.examples.<name>.
const EXAMPLES_DIR = ".repol-examples";

/** `examples` by name (a file stem) become data.repol.examples.<name> in both runs. */
export async function runRuleTests(
  compiler: Compiler,
  pool: EvaluationPool,
  files: readonly RuleFile[],
  examples: Record<string, unknown>,
): Promise<RuleTestRun> {
  const refused = checkSubmission(files);
  if (refused.length > 0) return { ok: false, errors: refused };
  const data = Object.entries(examples).map(([name, value]) => ({ path: `${EXAMPLES_DIR}/repol/examples/${name}/data.json`, text: JSON.stringify(value) }));
  const listed = await inRuleFolder(compiler, [...files, ...data], async (work) => {
    const paths = [...files.map((file) => file.path), ...(data.length > 0 ? [EXAMPLES_DIR] : [])];
    const run = await runOpa(
      compiler.opa,
      ["test", "--format", "json", "--capabilities", "capabilities.json", ...paths],
      work,
      compiler.timeoutMs ?? COMPILE_TIMEOUT_MS,
    );
    const cases = run.code === 0 || run.code === 2 ? parseCases(run.stdout) : undefined;
    return cases
      ? { ok: true as const, cases }
      : { ok: false as const, errors: opaErrors(compiler.sandbox, run, "opa test", compiler.timeoutMs ?? COMPILE_TIMEOUT_MS) };
  });
  if (!listed.ok) return listed;

  // `opa test` runs tests in parallel and lists them as they finish; the report goes by file and line.
  const cases = listed.cases
    .filter((test) => !test.skip && test.package && test.name)
    .sort((a, b) => (a.location?.file ?? "").localeCompare(b.location?.file ?? "") || (a.location?.row ?? 0) - (b.location?.row ?? 0));
  const entrypointOf = (test: OpaTestCase) => `${test.package!.replace(/^data\./, "").replaceAll(".", "/")}/${test.name}`;
  if (cases.length === 0) return { ok: true, tests: [] };
  const compiled = await compileRego(compiler, { files, generated: [], entrypoints: cases.map(entrypointOf) });
  if (!compiled.ok) return { ok: false, errors: compiled.errors };

  const digest = createHash("sha256").update(compiled.wasm).digest("hex");
  const tests: RuleTestResult[] = [];
  for (const test of cases) {
    const outcome = await pool.evaluate({ digest, wasm: compiled.wasm, entrypoint: entrypointOf(test), input: undefined, data: { repol: { examples } } });
    tests.push({
      package: test.package!.replace(/^data\./, ""),
      name: test.name!,
      file: test.location?.file ?? "",
      line: test.location?.row ?? 1,
      opa: test.error !== undefined ? "error" : test.fail ? "fail" : "pass",
      wasm: !outcome.ok ? "error" : passed(outcome.result) ? "pass" : "fail",
      ...(outcome.ok ? {} : { message: outcome.message }),
    });
  }
  return { ok: true, tests };
}

/** Agreement is on passing: OPA reports a failed builtin as an undefined (failed) test, WASM as an error. */
export const agrees = (test: RuleTestResult): boolean => (test.opa === "pass") === (test.wasm === "pass");

/** As `opa test`: a test passes when its rule is defined and not false. */
function passed(resultSet: unknown): boolean {
  return Array.isArray(resultSet) && resultSet.length > 0 && (resultSet[0] as { result?: unknown }).result !== false;
}

function parseCases(stdout: string): OpaTestCase[] | undefined {
  if (stdout.trim() === "") return []; // no tests at all
  try {
    const parsed = JSON.parse(stdout) as unknown;
    return Array.isArray(parsed) ? (parsed as OpaTestCase[]) : undefined;
  } catch {
    return undefined;
  }
}
