// Prints the closing `tests: N passed, M failed` line from the Rego test log and vitest's JSON report.
import { existsSync, readFileSync } from "node:fs";

const [logPath, jsonPath, statusArg] = process.argv.slice(2);
const status = Number(statusArg ?? 1);
const log = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";

let passed = 0;
let failed = 0;

// `opa test -v` ends with "PASS: 40/42" and, when some failed, "FAIL: 2/42".
const lastCount = (verdict) => {
  const match = [...log.matchAll(new RegExp(`^${verdict}: (\\d+)/(\\d+)$`, "gm"))].at(-1);
  return match ? Number(match[1]) : 0;
};
const regoPassed = lastCount("PASS");
const regoFailed = lastCount("FAIL");
passed += regoPassed;
failed += regoFailed;
console.log(`rego: ${regoPassed} passed, ${regoFailed} failed`);

if (existsSync(jsonPath)) {
  const report = JSON.parse(readFileSync(jsonPath, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A test file that fails to load counts no failed test; count it so it cannot hide.
  if (!report.numFailedTests && report.numFailedTestSuites) failed += report.numFailedTestSuites;
  console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests ?? 0} skipped`);
}

// A failing command before or outside the counted tests (build, typecheck) must still show as a failure.
if (status !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
