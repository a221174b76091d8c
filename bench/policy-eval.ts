// Policy evaluation: repol's in-process WASM engine against the same Rego served by an OPA server on
// 127.0.0.1 over keep-alive HTTP. Run: node --import tsx bench/policy-eval.ts (BENCH_EVAL_RUNS=N).
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { PolicyName } from "../src/domain/policy-name.js";
import { loadPolicyEngine } from "../src/policy/engine.js";
import { startOpaServer } from "./lib/opa-server.js";
import { ms, printTable, summarize } from "./lib/stats.js";

const RUNS = Number(process.env.BENCH_EVAL_RUNS ?? 5000);
const WARMUP = Math.min(500, RUNS);
const root = fileURLToPath(new URL("../", import.meta.url));
const input = (name: string): unknown => JSON.parse(readFileSync(`${root}test/fixtures/inputs/${name}.json`, "utf8"));

const cases: { name: string; policy: PolicyName; input: unknown }[] = [
  { name: "deploy, allowed", policy: "deploy", input: input("deploy-allow") },
  { name: "deploy, every rule broken", policy: "deploy", input: input("deploy-deny-all-rules") },
  { name: "pull request, allowed", policy: "pullrequest", input: input("pullrequest-allow") },
  { name: "pull request, every rule broken", policy: "pullrequest", input: input("pullrequest-deny-all-rules") },
];

interface OpaAnswer {
  result?: { allow?: boolean; violations?: { code: string }[] };
  metrics?: Record<string, number>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function postJson(url: string, body: string): Promise<OpaAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`OPA answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString()) as OpaAnswer);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

export async function benchPolicyEvaluation(): Promise<void> {
  const engine = await loadPolicyEngine(`${root}build/policies/policy.wasm`);
  const opa = await startOpaServer();
  const rows: Record<string, string | number>[] = [];
  try {
    for (const { name, policy, input: doc } of cases) {
      const wasm: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const started = performance.now();
        engine.evaluate(policy, doc);
        if (i >= WARMUP) wasm.push(performance.now() - started);
      }
      const url = `${opa.url}/v1/data/github/${policy}`;
      const remote: number[] = [];
      const opaEval: number[] = [];
      let answer: OpaAnswer = {};
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const started = performance.now();
        // The input is serialised per request, as a client of an OPA sidecar has to.
        answer = await postJson(`${url}?metrics=true`, JSON.stringify({ input: doc }));
        if (i >= WARMUP) {
          remote.push(performance.now() - started);
          opaEval.push((answer.metrics?.timer_rego_query_eval_ns ?? Number.NaN) / 1e6);
        }
      }
      const local = engine.evaluate(policy, doc);
      const agree = local.allow === answer.result?.allow
        && JSON.stringify(local.violations.map((v) => v.code).sort()) === JSON.stringify((answer.result?.violations ?? []).map((v) => v.code).sort());
      const w = summarize(wasm);
      const r = summarize(remote);
      rows.push({
        input: name,
        "WASM median ms": ms(w.median),
        "WASM p99 ms": ms(w.p99),
        "OPA HTTP median ms": ms(r.median),
        "OPA HTTP p99 ms": ms(r.p99),
        "OPA eval-only median ms": ms(summarize(opaEval).median),
        "median ratio": `${(r.median / w.median).toFixed(1)}x`,
        "p99 ratio": `${(r.p99 / w.p99).toFixed(1)}x`,
        "same verdict": agree ? "yes" : "NO",
      });
    }
  } finally {
    agent.destroy();
    await opa.stop();
  }
  printTable(
    `Policy evaluation, ${RUNS} runs per input after ${WARMUP} warm-up runs (WASM: allow+deny+violations entrypoints in-process; OPA: POST /v1/data/github/<policy> over keep-alive HTTP, one connection)`,
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPolicyEvaluation();
