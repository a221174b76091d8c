// repol test [dir] [--examples <folder>] [--format text|json]
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { LOAD_TIMEOUT_MS } from "../policy/custom/custom-rule-limits.js";
import { evaluationPool } from "../policy/custom/evaluation-pool.js";
import { findOpa } from "../policy/custom/find-opa.js";
import { agrees, runRuleTests, type RuleTestResult } from "../policy/custom/rule-tests.js";
import { sandboxFor } from "../policy/custom/sandbox-capabilities.js";
import { EXIT, formatOf, parseCommandLine, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { readJsonFile } from "./read-json-file.js";
import { readRuleFiles, RULES_DIR } from "./read-rule-files.js";

const OPTIONS = { examples: { type: "string" }, format: { type: "string" } } as const;
// `opa test`'s exit codes: 0 all passed, 2 a test failed; 1 for rules that do not compile.
const TEST_FAILED: ExitCode = 2;

export async function testCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (positionals.length > 1) throw new UsageError(`test takes one directory, got ${positionals.length}`);
  const format = formatOf(values.format);
  const root = resolve(io.cwd, positionals[0] ?? ".");
  if (!existsSync(join(root, RULES_DIR)))
    throw new UsageError(`${positionals[0] ?? "."} has no ${RULES_DIR} directory; run this at the root of a checkout, or pass its path`);
  const examples = readExamples(values.examples ?? join(root, "schemas", "examples"), values.examples !== undefined, io);

  const opa = await findOpa();
  if (!opa.ok) throw new UsageError(opa.message);
  // A test machine may be slow to start a worker; each test still has production's evaluation limit.
  const pool = evaluationPool({ workers: 1, loadTimeoutMs: LOAD_TIMEOUT_MS * 12 });
  try {
    const run = await runRuleTests({ opa: opa.binary, sandbox: await sandboxFor(opa.binary) }, pool, readRuleFiles(root), examples);
    if (format === "json") io.out(JSON.stringify(run, null, 2));
    if (!run.ok) {
      if (format !== "json") for (const error of run.errors) io.out(`${error.file}:${error.line}:${error.column}: ${error.message}`);
      return EXIT.failed;
    }
    if (format !== "json") printText(run.tests, io);
    return run.tests.every((test) => test.opa === "pass" && test.wasm === "pass") ? EXIT.ok : TEST_FAILED;
  } finally {
    await pool.close();
  }
}

function printText(tests: RuleTestResult[], io: CliIo): void {
  for (const test of tests) {
    const where = `${test.file}:${test.line}: data.${test.package}.${test.name}`;
    if (!agrees(test)) io.out(`DISAGREE ${where}: opa test says ${test.opa}, repol's WASM build says ${test.wasm}${test.message ? ` (${test.message})` : ""}`);
    else io.out(`${test.wasm === "pass" ? "PASS" : "FAIL"} ${where}${test.message ? ` (${test.message})` : ""}`);
  }
  const passed = tests.filter((test) => test.opa === "pass" && test.wasm === "pass").length;
  const disagreeing = tests.filter((test) => !agrees(test)).length;
  io.out(
    `${passed}/${tests.length} passed in both opa test and repol's WASM build${disagreeing > 0 ? `; ${disagreeing} DISAGREE: repol would decide differently from opa test` : ""}`,
  );
}

/** JSON files of `folder` by file stem; a missing default folder is no examples. */
function readExamples(folder: string, given: boolean, io: CliIo): Record<string, unknown> {
  if (!existsSync(folder)) {
    if (given) throw new UsageError(`--examples ${folder} does not exist`);
    return {};
  }
  if (!statSync(folder).isDirectory()) throw new UsageError(`${folder} is not a directory of example inputs`);
  const names = readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort();
  return Object.fromEntries(names.map((name) => [basename(name, ".json"), readJsonFile(join(folder, name), io.cwd, "example")]));
}
