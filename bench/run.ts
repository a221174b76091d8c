// Runs the benches in sequence, each in its own process (so one bench's memory and JIT state do not
// colour the next), and ends with one table of figure, goal and result. Figures are printed, never
// asserted. Run: npm run bench (it builds repol first: the end-to-end bench runs dist/src/main.js).
// BENCH_ONLY=policy-eval,end-to-end picks benches; config and audit run only when named there.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { printReports, readReports } from "./lib/results.js";

const BENCHES: { name: string; file: string; what: string; byDefault: boolean; env?: Record<string, string> }[] = [
  {
    name: "policy-eval",
    file: "policy-eval.ts",
    what: "policy evaluation: WASM in this process against an OPA server on 127.0.0.1, interleaved",
    byDefault: true,
  },
  {
    name: "end-to-end",
    file: "end-to-end.ts",
    what: "repol as its own process against a fake GitHub in another: calls per event, decisions, intake, memory",
    byDefault: true,
    env: { BENCH_CPU_PROFILE: "0" },
  },
  {
    name: "profile",
    file: "end-to-end.ts",
    what: "the same run again with repol under node --cpu-prof: where its CPU goes in each burst (figures not reported: the profiler costs CPU and memory)",
    byDefault: true,
    env: { BENCH_CPU_PROFILE: "1", BENCH_FIGURES: "0" },
  },
  { name: "config", file: "config.ts", what: "parsing and validating .repol files, typical and hostile", byDefault: false },
  { name: "audit", file: "audit.ts", what: "audit trail queries and inserts on a large SQLite store", byDefault: false },
  { name: "sqlite-commit", file: "sqlite-commit.ts", what: "what one SQLite commit blocks the event loop for, FULL against NORMAL", byDefault: false },
];

const only = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only.filter((name) => !BENCHES.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(", ")}; choose from ${BENCHES.map((bench) => bench.name).join(", ")}`);
  process.exit(2);
}

const cpu = cpus();
console.log(`repol benchmarks — ${new Date().toISOString()}`);
console.log(
  `machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}; ` +
    `load average at start ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}`,
);

const dir = mkdtempSync(join(tmpdir(), "repol-bench-results-"));
const resultsFile = join(dir, "results.jsonl");
const failed: string[] = [];
const started = Date.now();
for (const bench of BENCHES.filter((b) => (only.length === 0 ? b.byDefault : only.includes(b.name)))) {
  console.log(`\n=== ${bench.name}: ${bench.what}`);
  const benchStarted = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL(bench.file, import.meta.url))], {
    stdio: "inherit",
    env: { ...process.env, ...bench.env, BENCH_RESULTS_FILE: resultsFile },
  });
  const seconds = ((Date.now() - benchStarted) / 1000).toFixed(1);
  if (result.status !== 0) failed.push(bench.name);
  console.log(`=== ${bench.name} ${result.status === 0 ? "done" : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s`);
}
const reports = readReports(resultsFile);
rmSync(dir, { recursive: true, force: true });
if (reports.length > 0) {
  console.log(
    `\nrepol against its goals (issue 11), ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}:`,
  );
  printReports(reports);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
