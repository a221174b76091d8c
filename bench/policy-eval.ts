// Policy evaluation: repol's WASM engine (the whole `engine.evaluate()` a decision makes) against the
// same Rego served by an OPA server on 127.0.0.1, measured fairly: in this one process, interleaved
// (each iteration times both, alternating which goes first), OPA over keep-alive connections queried
// for exactly the rules the engine evaluates (the build's entrypoints), without metrics.
// Also opa-wasm's own evaluate() of the pre-encoded input in the same loop (what the engine adds), and
// the raw floor: one opa-wasm evaluate() of one entrypoint with the input already encoded, in a hot loop.
// Run: node --import tsx bench/policy-eval.ts (BENCH_EVAL_RUNS, BENCH_OPA_RULES=allow,deny,violations).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { PolicyName } from "../src/domain/policy-name.js";
import { loadPolicyEngine } from "../src/policy/engine.js";
import { opaClient } from "./lib/opa-client.js";
import { startOpaServer } from "./lib/opa-server.js";
import { report } from "./lib/results.js";
import { ms, printTable, summarize } from "./lib/stats.js";

const RUNS = Number(process.env.BENCH_EVAL_RUNS ?? 2000);
const WARMUP = Math.min(200, RUNS);
const root = fileURLToPath(new URL("../", import.meta.url));
const WASM = `${root}build/policies/policy.wasm`;
const input = (name: string): unknown => JSON.parse(readFileSync(`${root}test/fixtures/policy-input/${name}.json`, "utf8"));

const cases: { name: string; policy: PolicyName; input: unknown }[] = [
  { name: "deploy, allowed", policy: "deploy", input: input("deploy.allowed.release") },
  { name: "deploy, every rule broken", policy: "deploy", input: input("deploy.denied.every-rule") },
  { name: "pull request, allowed", policy: "pullrequest", input: input("pullrequest.allowed.develop") },
  { name: "pull request, every rule broken", policy: "pullrequest", input: input("pullrequest.denied.every-rule") },
];

/**
 * The rules of `github.<policy>` the build compiles as entrypoints (build/policies/manifest.json): the
 * ones the engine evaluates per decision. BENCH_OPA_RULES names them instead, should the two differ.
 */
function rulesOf(policy: PolicyName): string[] {
  if (process.env.BENCH_OPA_RULES) return process.env.BENCH_OPA_RULES.split(",").map((rule) => rule.trim());
  const { entrypoints } = JSON.parse(readFileSync(`${root}build/policies/manifest.json`, "utf8")) as { entrypoints: string[] };
  const prefix = `github/${policy}/`;
  return entrypoints.filter((entrypoint) => entrypoint.startsWith(prefix)).map((entrypoint) => entrypoint.slice(prefix.length));
}

/** JSON with arrays in a canonical order: OPA and WASM may list a set's members differently. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

function encoded(value: unknown): ArrayBuffer {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Median time of one opa-wasm evaluate() per rule, in a hot loop: the least an evaluation can cost. */
function floorOf(raw: LoadedPolicy, policy: PolicyName, rules: string[], doc: unknown): { rule: string; median: number } {
  const bytes = encoded(doc);
  const medians = rules.map((rule) => {
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      raw.evaluate(bytes, `github/${policy}/${rule}`);
      if (i >= WARMUP) samples.push(performance.now() - started);
    }
    return { rule, median: summarize(samples).median };
  });
  return medians.reduce((a, b) => (b.median < a.median ? b : a));
}

const engine = await loadPolicyEngine(WASM);
const raw = await loadPolicy(readFileSync(WASM));
const opa = await startOpaServer();
const client = opaClient(opa.url, 4);
const rows: Record<string, string | number>[] = [];
const ratios: number[] = [];
/** OPA's median ÷ the floor: the ratio an engine adding nothing to the raw evaluation would reach. */
const ceilings: number[] = [];
let floor = { rule: "", median: Number.POSITIVE_INFINITY, input: "" };
try {
  for (const { name, policy, input: doc } of cases) {
    const rules = rulesOf(policy);
    const wasm: number[] = [];
    const remote: number[] = [];
    // opa-wasm's own evaluate() of the pre-encoded input in the same loop: what the engine adds,
    // measured under the same cache conditions (the hot-loop floor below runs with warm caches).
    const bare: number[] = [];
    const bytes = encoded(doc);
    const entrypoint = `github/${policy}/${rules[0]}`;
    let answers: unknown[] = [];
    const timeWasm = () => {
      const started = performance.now();
      engine.evaluate(policy, doc);
      return performance.now() - started;
    };
    const timeBare = () => {
      const started = performance.now();
      raw.evaluate(bytes, entrypoint);
      return performance.now() - started;
    };
    const timeOpa = async () => {
      const started = performance.now();
      answers = await client.query(`github/${policy}`, rules, doc);
      return performance.now() - started;
    };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      // Alternating which goes first, so neither always runs on a cache the other just warmed.
      const opaFirst = i % 2 === 1;
      let r = opaFirst ? await timeOpa() : 0;
      // The engine and the bare evaluate() also take turns going first, on the same cycle of four.
      const bareFirst = i % 4 >= 2;
      let b = bareFirst ? timeBare() : 0;
      const w = timeWasm();
      if (!bareFirst) b = timeBare();
      if (!opaFirst) r = await timeOpa();
      if (i < WARMUP) continue;
      wasm.push(w);
      bare.push(b);
      remote.push(r);
    }
    const same = rules.every(
      (rule, i) => canonical(answers[i]) === canonical((raw.evaluate(doc, `github/${policy}/${rule}`) as { result: unknown }[])[0]?.result),
    );
    const caseFloor = floorOf(raw, policy, rules, doc);
    if (caseFloor.median < floor.median) floor = { ...caseFloor, rule: `github/${policy}/${caseFloor.rule}`, input: name };
    const [w, r] = [summarize(wasm), summarize(remote)];
    ratios.push(r.median / w.median);
    ceilings.push(r.median / caseFloor.median);
    rows.push({
      input: name,
      "OPA rules queried": rules.join(", "),
      "WASM evaluate() median / p99 ms": `${ms(w.median)} / ${ms(w.p99)}`,
      "opa-wasm evaluate() median ms": ms(summarize(bare).median),
      "OPA HTTP median / p99 ms": `${ms(r.median)} / ${ms(r.p99)}`,
      "ratio median / p99": `${(r.median / w.median).toFixed(1)}× / ${(r.p99 / w.p99).toFixed(1)}×`,
      "floor ms (one entrypoint)": ms(caseFloor.median),
      "OPA ÷ floor": `${(r.median / caseFloor.median).toFixed(1)}×`,
      "same results": same ? "yes" : "NO",
    });
  }
} finally {
  client.close();
  await opa.stop();
}
printTable(`Policy evaluation, ${RUNS} interleaved iterations per input after ${WARMUP} warm-up ones`, rows);
const [low, high] = [Math.min(...ratios), Math.max(...ratios)];
report({
  figures: [
    {
      figure: "Evaluation: OPA server ÷ WASM engine.evaluate(), median ratio (interleaved, keep-alive, no metrics)",
      goal: "≥ 20×",
      result: `${low.toFixed(1)}–${high.toFixed(1)}× over ${cases.length} inputs${rows.some((row) => row["same results"] !== "yes") ? " (RESULTS DIFFER)" : ""}`,
      met: low >= 20 && rows.every((row) => row["same results"] === "yes"),
    },
    {
      figure: "Evaluation floor: one opa-wasm evaluate() of one entrypoint, input pre-encoded",
      goal: "-",
      result: `${(floor.median * 1000).toFixed(0)} µs (${floor.rule}, ${floor.input}); OPA ÷ floor ${Math.min(...ceilings).toFixed(1)}–${Math.max(...ceilings).toFixed(1)}×`,
      met: null,
    },
  ],
});
