// Runs every bench in sequence, each in its own process (so one bench's memory and JIT state do not
// colour the next), and prints their tables. Figures are printed, never asserted.
// Run: npm run bench            (BENCH_ONLY=policy-eval,rest-calls to run some of them)
import { spawnSync } from "node:child_process";
import { cpus, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const BENCHES: { name: string; file: string; what: string }[] = [
  { name: "policy-eval", file: "policy-eval.ts", what: "policy evaluation: in-process WASM against an OPA server on 127.0.0.1" },
  { name: "webhook-load", file: "webhook-load.ts", what: "webhook intake and end-to-end decisions at 1, 10 and 50 concurrent senders" },
  { name: "rest-calls", file: "rest-calls.ts", what: "GitHub REST calls per event, cold and warm" },
  { name: "config", file: "config.ts", what: "parsing and validating .repol files, typical and hostile" },
  { name: "audit", file: "audit.ts", what: "audit trail queries and inserts on a large SQLite store" },
];

const only = (process.env.BENCH_ONLY ?? "").split(",").map((name) => name.trim()).filter(Boolean);
const unknown = only.filter((name) => !BENCHES.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(", ")}; choose from ${BENCHES.map((bench) => bench.name).join(", ")}`);
  process.exit(2);
}

const cpu = cpus();
console.log(`repol benchmarks — ${new Date().toISOString()}`);
console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`);

const failed: string[] = [];
for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
  console.log(`\n=== ${bench.name}: ${bench.what}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL(bench.file, import.meta.url))], { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed.push(bench.name);
    console.log(`=== ${bench.name} FAILED (exit ${result.status ?? result.signal}) after ${seconds} s`);
  } else {
    console.log(`=== ${bench.name} done in ${seconds} s`);
  }
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
