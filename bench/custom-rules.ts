// Compile and evaluation time of custom rules: `npx tsx bench/custom-rules.ts`. Compiles the
// test/fixtures/custom-rules/findings set (cold, then cached), then evaluates it N times.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { readRuleFiles } from "../src/cli/read-rule-files.js";
import { createCustomRules } from "../src/policy/custom/custom-rules.js";

const EVALUATIONS = Number(process.env.EVALUATIONS ?? 500);
const files = readRuleFiles(fileURLToPath(new URL("../test/fixtures/custom-rules/findings/", import.meta.url)));
const input = { environment: "production", weekday: "friday", pull_requests: [{ labels: ["do-not-merge"] }] };

const rules = createCustomRules();
const timed = async <T>(task: () => Promise<T>): Promise<[number, T]> => {
  const start = performance.now();
  const value = await task();
  return [performance.now() - start, value];
};

const [compileMs, first] = await timed(() => rules.compile("deploy", files));
if (!first.ok) throw new Error(JSON.stringify(first.errors));
const [firstEvalMs] = await timed(() => rules.evaluate("deploy", files, input));
const times: number[] = [];
for (let i = 0; i < EVALUATIONS; i++) times.push((await timed(() => rules.evaluate("deploy", files, input)))[0]);
await rules.close();

times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
console.log(`cold compile (opa check + opa build, ${files.length} files): ${compileMs.toFixed(0)} ms`);
console.log(`first evaluation (starts a worker, loads the module): ${firstEvalMs.toFixed(0)} ms`);
console.log(`cached evaluation x${EVALUATIONS}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
