// The compiled bundle repol runs (WASM, through engine.ts) and the pinned `opa eval` must reach the
// same decision for every input. Inputs come from a seeded generator over the whole input contract,
// including inputs the config loader would refuse (the policy judges whatever it is given), and
// are all evaluated by OPA in one process.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyName } from "../../src/domain/policy-name.js";
import type { PolicyResult } from "../../src/domain/verdict.js";
import { decisionFromResults, loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";
import { seededRandom } from "../helpers/branch-pattern-generator.js";
import { opaResults, type OpaResult } from "../helpers/opa-batch.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";
import { deployInput, pullRequestInput } from "../helpers/policy-input-generator.js";

const SEED = 20240909;
const PER_POLICY = 1200;

const scratch = mkdtempSync(join(tmpdir(), "repol-parity-"));
const random = seededRandom(SEED);
const inputs: Record<PolicyName, unknown[]> = {
  deploy: Array.from({ length: PER_POLICY }, () => deployInput(random)),
  pullrequest: Array.from({ length: PER_POLICY }, () => pullRequestInput(random)),
};

let engine: WasmPolicyEngine;
let opa: Record<PolicyName, OpaResult[]>;

beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
  opa = opaResults(inputs, scratch);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Key-sorted JSON, with violations in a fixed order (the engine keeps equal code and msg in set order). */
function canonical(decision: PolicyResult): string {
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, v]) => [k, sortKeys(v)]),
          )
        : value;
  const violations = decision.violations.map((v) => JSON.stringify(sortKeys(v))).sort();
  return JSON.stringify({ ...(sortKeys(decision) as object), violations });
}

type Outcome = { decision: string } | { error: string };

function attempt(decide: () => PolicyResult): Outcome {
  try {
    return { decision: canonical(decide()) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

describe.each<PolicyName>(["deploy", "pullrequest"])("the %s policy", (name) => {
  it(`decides ${PER_POLICY} generated inputs exactly as the pinned OPA does`, () => {
    const mismatches: string[] = [];
    let exceptions = 0;
    let allowed = 0;
    let splits = 0;
    inputs[name].forEach((input, i) => {
      const wasm = attempt(() => engine.evaluate(name, input));
      const result = opa[name][i];
      const reference = attempt(() => {
        if (result === undefined) throw new Error("opa eval gave no result");
        return decisionFromResults(name, result.result);
      });
      // The combined rule repol evaluates must say what the rules users query say.
      if (result !== undefined && !isDeepStrictEqual(result.result, result.rules)) splits++;
      if ("error" in wasm || "error" in reference) exceptions++;
      if ("decision" in wasm && wasm.decision.includes('"allow":true')) allowed++;
      if (JSON.stringify(wasm) !== JSON.stringify(reference)) {
        const shown = (value: unknown) => JSON.stringify(value).slice(0, 800);
        mismatches.push(`#${i} ${shown(input)}\n  wasm: ${shown(wasm)}\n  opa:  ${shown(reference)}`);
      }
    });
    console.log(
      `differential (${name}, seed ${SEED}): ${inputs[name].length} inputs, ${mismatches.length} mismatches, ${exceptions} exceptions, ${splits} results unlike the rules, ${allowed} allowed`,
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(exceptions).toBe(0);
    expect(splits).toBe(0);
    // A generator that only produced denials would prove little.
    expect(allowed).toBeGreaterThan(PER_POLICY / 20);
  });
});

describe("an input holding lone UTF-16 surrogates", () => {
  // As from a webhook's environment name and a config key written with a `\u` escape.
  const withEnvironment = (requested: string, key: string, known: string) => {
    const input = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-input", "deploy.allowed.release.json"), "utf8"));
    input.environment = requested;
    input.repo_environments = [known];
    input.repo_policy.policy.environments = { [key]: input.repo_policy.policy.environments.production };
    return input;
  };

  it("is judged with each lone surrogate read as U+FFFD, as OPA reads it, instead of failing", () => {
    const decision = engine.evaluate("deploy", withEnvironment("prod\ud800", "PROD\udc00", "Prod\udbff"));
    expect(decision).toEqual(engine.evaluate("deploy", withEnvironment("prod\ufffd", "PROD\ufffd", "Prod\ufffd")));
    expect(decision.allow).toBe(true);
  });
});
