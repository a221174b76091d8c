// Parse + validate time of repository configs: this repository's own (typical) files and
// 256 KiB hostile ones, each refused by a different guard. Run: node --import tsx bench/config.ts
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { MAX_CONFIG_BYTES } from "../src/policy/config-limits.js";
import { parseRepoConfig } from "../src/policy/load-repo-config.js";
import type { PolicyName } from "../src/domain/policy-name.js";

const TYPICAL_RUNS = Number(process.env.BENCH_CONFIG_RUNS ?? 1000);
const HOSTILE_RUNS = Number(process.env.BENCH_CONFIG_HOSTILE_RUNS ?? 25);

const repoFile = (path: string) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), "utf8");
const fill = (unit: string, prefix = "") => prefix + unit.repeat(Math.floor((MAX_CONFIG_BYTES - prefix.length) / unit.length));
const linesUpTo = (line: (i: number) => string, prefix = "") => {
  const lines = [prefix];
  let size = prefix.length;
  for (let i = 0; size + line(i).length + 1 <= MAX_CONFIG_BYTES; i++) {
    lines.push(line(i));
    size += line(i).length + 1;
  }
  return lines.join("\n");
};

const typical: Array<[string, PolicyName, string]> = [
  [".repol/deploy.yaml", "deploy", repoFile(".repol/deploy.yaml")],
  [".repol/pullrequest.yaml", "pullrequest", repoFile(".repol/pullrequest.yaml")],
];

const hostile: Array<[string, string]> = [
  ["unclosed [ ×262144 (nesting guard)", fill("[")],
  ["`- ` ×131072 (nesting guard)", fill("- ")],
  ["shallow flow lists (token cap)", fill("[[1]],", "policy: [")],
  ["unknown keys, one per line (token cap)", linesUpTo((i) => `  key_${i}: value`, "policy:")],
  [
    "3,300 unknown keys, just under the token cap",
    Array.from({ length: 3300 }, (_, i) => `  key_${i}: value`)
      .join("\n")
      .replace(/^/, "policy:\n"),
  ],
  ["environments in flow style (token cap)", linesUpTo((i) => `    env-${i}: {rules: {}}`, "policy:\n  version: 1\n  environments:")],
  ["blank lines (token cap)", fill("\n")],
  ["one 256 KiB scalar (schema error)", fill("x", "policy: ")],
  [
    "billion laughs (expansion cap)",
    linesUpTo((i) =>
      i === 0
        ? "l0: &l0 [x, x, x, x, x, x, x, x, x, x]"
        : `l${i}: &l${i} [${Array(10)
            .fill(`*l${i - 1}`)
            .join(", ")}]`,
    )
      .split("\n")
      .slice(0, 10)
      .join("\n"),
  ],
  ["anchors on every item (anchor cap)", fill("&a ", "x: ")],
  ["comment only (empty file)", fill("#")],
];

// CPU time is reported beside wall time because a busy machine inflates the latter.
function timings(kind: PolicyName, text: string, runs: number): { median: number; max: number; cpu: number; ok: boolean } {
  const samples: number[] = [];
  let ok = false;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    ok = parseRepoConfig(kind as "deploy", text).ok;
    samples.push(performance.now() - start);
  }
  const { user, system } = process.cpuUsage(cpuBefore);
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], max: samples[samples.length - 1], cpu: (user + system) / 1000 / runs, ok };
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
console.log(`typical configs, ${TYPICAL_RUNS} runs each (after 100 warm-up runs):`);
for (const [name, kind, text] of typical) {
  timings(kind, text, 100);
  const { median, max, cpu, ok } = timings(kind, text, TYPICAL_RUNS);
  console.log(`  ${name.padEnd(46)} ${String(text.length).padStart(7)} B  median ${ms(median)}  max ${ms(max)}  cpu/run ${ms(cpu)}  ${ok ? "ok" : "ERRORS"}`);
}
console.log(`hostile files, ${HOSTILE_RUNS} runs each:`);
for (const [name, text] of hostile) {
  const { median, max, cpu, ok } = timings("deploy", text, HOSTILE_RUNS);
  console.log(
    `  ${name.padEnd(46)} ${String(text.length).padStart(7)} B  median ${ms(median)}  max ${ms(max)}  cpu/run ${ms(cpu)}  ${ok ? "ACCEPTED" : "refused"}`,
  );
}
