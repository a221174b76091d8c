// Evaluates many inputs under repol's policies with the pinned OPA CLI in a single process: the
// cases become data, and a small module evaluates each one (`with input as` it, for whole
// policies). One `opa eval` instead of thousands keeps a differential test fast.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyName } from "../../src/domain/policy-name.js";
import { repoRoot } from "./policy-bundle.js";

/**
 * What OPA gives for one input: the policy's `result` (what repol evaluates) and, apart, the
 * allow, deny, violations and warnings rules users query; undefined when it gave nothing.
 */
export type OpaResult = { result: unknown; rules: { allow: unknown; deny: unknown; violations: unknown; warnings: unknown } } | undefined;

/** The value of `data.<module's package>` after loading the policies, `module` and `cases` as data.repol_cases. */
export function evaluateWithOpa(module: string, cases: unknown, scratch: string): unknown {
  const harness = join(scratch, "harness.rego");
  const data = join(scratch, "cases.json");
  writeFileSync(harness, module);
  // JSON.stringify writes a lone surrogate as a \udXXX escape, which OPA reads as U+FFFD.
  writeFileSync(data, JSON.stringify({ repol_cases: cases }));
  const pkg = /^package (\S+)/m.exec(module)?.[1];
  if (pkg === undefined) throw new Error("evaluateWithOpa: the module has no package line");
  const files = [...policySources(), harness, data].flatMap((file) => ["-d", file]);
  const out = execFileSync(process.execPath, [join(repoRoot, "scripts", "opa.mjs"), "eval", "--format", "json", ...files, `data.${pkg}`], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  return (JSON.parse(out) as { result: Array<{ expressions: Array<{ value: unknown }> }> }).result[0].expressions[0].value;
}

/** result, and allow, deny, violations and warnings, of each input, keyed like `inputs`. */
export function opaResults(inputs: Record<PolicyName, unknown[]>, scratch: string): Record<PolicyName, OpaResult[]> {
  const names = Object.keys(inputs) as PolicyName[];
  const rules = names.map(
    (name) => `${name}[i] := {"result": r, "rules": {"allow": a, "deny": d, "violations": v, "warnings": w}} if {
	some i, x in data.repol_cases.${name}
	r := data.github.${name}.result with input as x
	a := data.github.${name}.allow with input as x
	d := data.github.${name}.deny with input as x
	v := data.github.${name}.violations with input as x
	w := data.github.${name}.warnings with input as x
}`,
  );
  const value = evaluateWithOpa(`package repol_parity\n\n${rules.join("\n\n")}\n`, inputs, scratch) as Record<string, Record<string, OpaResult>>;
  return Object.fromEntries(names.map((name) => [name, inputs[name].map((_, i) => value[name]?.[String(i)])])) as Record<PolicyName, OpaResult[]>;
}

/** The policy sources the bundle was built from (build/policies/manifest.json). */
function policySources(): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "build", "policies", "manifest.json"), "utf8")) as { sources: string[] };
  return manifest.sources.map((source) => join(repoRoot, source));
}
