import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyName } from "../../src/domain/policy-name.js";
import type { PolicyResult } from "../../src/domain/verdict.js";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";

const repoRoot = join(import.meta.dirname, "..", "..");
const wasmPath = join(repoRoot, "build", "policies", "policy.wasm");
const scratch = mkdtempSync(join(tmpdir(), "repol-engine-test-"));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-input", `${name}.json`), "utf8"));
}

/** Deep-merges `patch` into a copy of `base`: objects merge, anything else replaces, undefined removes the key. */
function patched(base: Json, patch: Json | undefined): Json {
  if (!isObject(base) || !isObject(patch)) return structuredClone(patch) as Json;
  const out: { [key: string]: Json } = structuredClone(base) as { [key: string]: Json };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else out[key] = key in out ? patched(out[key], value) : structuredClone(value);
  }
  return out;
}

function isObject(value: Json | undefined): value is { [key: string]: Json | undefined } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const deployAllow = fixture("deploy.allowed.release");
const pullAllow = fixture("pullrequest.allowed.develop");
const prodRules = (rules: Json) => ({ repo_policy: { policy: { environments: { production: { rules } } } } });
const prRules = (rules: Json) => ({ repo_policy: { policy: { rules } } });

let engine: WasmPolicyEngine;

beforeAll(async () => {
  // Self-sufficient: a no-op when `npm test` has already built the bundle.
  execFileSync(process.execPath, [join(repoRoot, "scripts", "build-policies.mjs")], { cwd: repoRoot, stdio: "pipe" });
  engine = await loadPolicyEngine(wasmPath);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const codesOf = (decision: PolicyResult) => decision.violations.map((v) => v.code);

describe("loadPolicyEngine", () => {
  it("uses the sha256 of the compiled bundle as its digest, matching the build manifest", () => {
    const expected = createHash("sha256").update(readFileSync(wasmPath)).digest("hex");
    const manifest = JSON.parse(readFileSync(join(repoRoot, "build", "policies", "manifest.json"), "utf8"));
    expect(engine.digest).toBe(expected);
    expect(manifest.digest).toBe(expected);
  });

  it("is built with one entrypoint per policy, the result rule, so a decision is one evaluation", () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, "build", "policies", "manifest.json"), "utf8"));
    expect(manifest.entrypoints).toEqual(["github/deploy/result", "github/pullrequest/result"]);
  });

  it("tells the operator to build the policies when the wasm file is missing", async () => {
    const missing = join(scratch, "nope", "policy.wasm");
    await expect(loadPolicyEngine(missing)).rejects.toThrow(`The compiled policy bundle ${missing} does not exist; run: npm run build:policies`);
  });

  it("rejects a file that is not WebAssembly with an Error naming the file", async () => {
    const bogus = join(scratch, "bogus.wasm");
    writeFileSync(bogus, "not wasm at all");
    const failure = loadPolicyEngine(bogus);
    await expect(failure).rejects.toBeInstanceOf(Error);
    await expect(failure).rejects.toThrow(`Could not load the policy bundle ${bogus}`);
  });
});

describe("the deploy policy through WASM", () => {
  it("allows a deployment that meets every rule", () => {
    expect(engine.evaluate("deploy", deployAllow)).toEqual({ policy: "deploy", allow: true, deny: [], violations: [], warnings: [] });
  });

  it("reports every failing rule at once, violations sorted by code and deny sorted", () => {
    const decision = engine.evaluate("deploy", fixture("deploy.denied.every-rule"));
    expect(decision.allow).toBe(false);
    expect(codesOf(decision)).toEqual(["approvals.insufficient", "env.missing", "rate_limit.exceeded", "ref.denied", "signoff.missing", "tests.failed"]);
    expect(decision.deny).toEqual(decision.violations.map((v) => v.msg).sort());
  });

  const cases: { name: string; patch: Json; code: string; msg: string; details?: Record<string, unknown> }[] = [
    {
      name: "an environment the repository lacks",
      patch: { repo_environments: ["staging"] },
      code: "env.missing",
      msg: "Environment production does not exist in this repository (repository environments: staging)",
    },
    {
      name: "unknown repository environments",
      patch: { repo_environments: undefined },
      code: "env.missing",
      msg: "Environment production does not exist in this repository (repository environments: none)",
    },
    {
      name: "a branch outside allowed_branches",
      patch: { ref: "refs/heads/feature/x" },
      code: "ref.denied",
      msg: "Branch feature/x may not deploy to production (allowed_branches: main, release/*)",
      details: { branch: "feature/x", patterns: ["main", "release/*"], rule: "allowed_branches" },
    },
    {
      name: "a tag when branches are required",
      patch: { ref: "refs/tags/v1.0" },
      code: "ref.denied",
      msg: "Ref refs/tags/v1.0 is not a branch; only branches may deploy to production (allowed_branches: main, release/*)",
      details: { branch: null },
    },
    {
      name: "an empty allowed_branches list",
      patch: prodRules({ allowed_branches: [] }),
      code: "ref.denied",
      msg: "No branch may deploy to production: allowed_branches is empty",
    },
    {
      name: "one approval of two",
      patch: { workflow_meta: { approvers: ["alice"] } },
      code: "approvals.insufficient",
      msg: "2 approvals required, 1 given (alice)",
      details: { required: 2, actual: 1, approvers: ["alice"] },
    },
    { name: "no approvals", patch: { workflow_meta: { approvers: [] } }, code: "approvals.insufficient", msg: "2 approvals required, 0 given" },
    {
      name: "failed tests",
      patch: { workflow_meta: { checks: { tests: false } } },
      code: "tests.failed",
      msg: "Tests did not pass; production requires passing tests",
    },
    {
      name: "no test result",
      patch: { workflow_meta: { checks: undefined } },
      code: "tests.failed",
      msg: "No passing test result was found; production requires passing tests",
    },
    {
      name: "no sign-off",
      patch: { workflow_meta: { signed_off: false } },
      code: "signoff.missing",
      msg: "The deployment is not signed off; production requires a sign-off",
    },
    {
      name: "a sixth deployment with a limit of five",
      patch: { workflow_meta: { deployments_today: 6 } },
      code: "rate_limit.exceeded",
      msg: "This would be deployment 6 to production today; the limit is 5 per day",
      details: { limit: 5, actual: 6 },
    },
    {
      name: "an unknown deployment count",
      patch: { workflow_meta: { deployments_today: undefined } },
      code: "rate_limit.exceeded",
      msg: "The number of deployments to production today is unknown; the limit is 5 per day",
    },
    {
      name: "an environment the policy does not define",
      patch: { environment: "qa", repo_environments: ["qa"] },
      code: "schema.policy.env_not_defined",
      msg: "Environment qa is not defined in the deployment policy (defined environments: production, staging)",
    },
    {
      name: "no repo_policy",
      patch: { repo_policy: undefined },
      code: "schema.policy.missing",
      msg: "No deployment policy was provided (repo_policy is missing)",
    },
    {
      name: "a non-integer approvals_required",
      patch: prodRules({ approvals_required: "2" }),
      code: "schema.policy.approvals_required_invalid",
      msg: "Policy field policy.environments.production.rules.approvals_required must be a non-negative integer (got string)",
    },
    {
      name: "a misspelt rule",
      patch: prodRules({ approval_required: 1 }),
      code: "schema.policy.unknown_rule",
      msg: "Policy field policy.environments.production.rules has an unknown rule approval_required (known rules: allowed_branches, approvals_required, deploy_windows, freeze, max_deployments_per_day, required_checks, signed_off, tests_passed)",
    },
    {
      name: "a numeric environment",
      patch: { environment: 7 },
      code: "schema.input.environment_not_string",
      msg: "Input field environment must be a string (got number)",
    },
    {
      name: "an empty environment",
      patch: { environment: "" },
      code: "schema.input.environment_empty",
      msg: "Input field environment must name the target environment (got an empty string)",
    },
    {
      name: "a missing ref",
      patch: { ref: undefined },
      code: "schema.input.ref_not_string",
      msg: "Input field ref must be a string such as refs/heads/main (got missing)",
    },
    {
      name: "workflow_meta that is not an object",
      patch: { workflow_meta: "approved" },
      code: "schema.input.workflow_meta_not_object",
      msg: "Input field workflow_meta must be an object (got string)",
    },
    {
      name: "approvers that are not an array",
      patch: { workflow_meta: { approvers: "alice" } },
      code: "schema.input.approvers_not_array",
      msg: "Input field workflow_meta.approvers must be an array of logins (got string)",
    },
    {
      name: "an approver that is not a login",
      patch: { workflow_meta: { approvers: ["alice", 3] } },
      code: "schema.input.approver_not_string",
      msg: "Input field workflow_meta.approvers[1] must be a login string (got number)",
    },
    {
      name: "checks that are not an object",
      patch: { workflow_meta: { checks: [] } },
      code: "schema.input.checks_not_object",
      msg: "Input field workflow_meta.checks must be an object (got array)",
    },
    {
      name: "repo_environments that are not an array",
      patch: { repo_environments: "production" },
      code: "schema.input.repo_environments_not_array",
      msg: "Input field repo_environments must be an array of names (got string)",
    },
  ];

  it.each(cases)("denies $name with $code and its message", ({ patch, code, msg, details }) => {
    const decision = engine.evaluate("deploy", patched(deployAllow, patch));
    expect(decision.allow).toBe(false);
    expect(decision.violations).toEqual([expect.objectContaining({ code, msg, ...details })]);
    expect(decision.deny).toEqual([msg]);
  });

  it("does not gate a disabled environment, whatever the facts", () => {
    const input = patched(deployAllow, { environment: "staging", ref: "refs/tags/x", repo_environments: [], workflow_meta: null });
    expect(engine.evaluate("deploy", input)).toEqual({ policy: "deploy", allow: true, deny: [], violations: [], warnings: [] });
  });

  it.each([
    { today: 4, allow: true },
    { today: 5, allow: true },
    { today: 6, allow: false },
  ])("with a limit of five per day, deployment number $today is allowed: $allow", ({ today, allow }) => {
    expect(engine.evaluate("deploy", patched(deployAllow, { workflow_meta: { deployments_today: today } })).allow).toBe(allow);
  });

  it.each([
    { fact: "approvers", code: "approvals.insufficient" },
    { fact: "checks", code: "tests.failed" },
    { fact: "signed_off", code: "signoff.missing" },
    { fact: "deployments_today", code: "rate_limit.exceeded" },
  ])("fails closed when workflow_meta.$fact is missing", ({ fact, code }) => {
    const decision = engine.evaluate("deploy", patched(deployAllow, { workflow_meta: { [fact]: undefined } }));
    expect(decision.allow).toBe(false);
    expect(codesOf(decision)).toEqual([code]);
  });

  it.each([undefined, null, 0, false, "", [], "production"])("denies the non-object input %j as schema.input.not_object", (input) => {
    const decision = engine.evaluate("deploy", input);
    expect(decision.allow).toBe(false);
    expect(codesOf(decision)).toEqual(["schema.input.not_object"]);
  });

  it("denies a branch matched against a pathological glob pattern, and finishes", () => {
    const input = patched(deployAllow, {
      ref: `refs/heads/${"a".repeat(20_000)}`,
      ...prodRules({ allowed_branches: ["*a*a*a*a*a*a*a*a*b", "**a**a**a**a**a**a**a**a**b", `${"*a".repeat(40)}b`] }),
    });
    const decision = engine.evaluate("deploy", input);
    expect(codesOf(decision)).toEqual(["ref.denied"]);
  });

  it("finds the environment whatever its case, as GitHub does", () => {
    const input = patched(deployAllow, { environment: "PRODUCTION", workflow_meta: { approvers: ["alice"] } });
    expect(engine.evaluate("deploy", input).violations).toEqual([
      expect.objectContaining({ code: "approvals.insufficient", msg: "2 approvals required, 1 given (alice)" }),
    ]);
  });

  it("matches feature/* against feature/a but not feature/a/b", () => {
    const rules = prodRules({ allowed_branches: ["feature/*"] });
    expect(engine.evaluate("deploy", patched(deployAllow, { ref: "refs/heads/feature/a", ...rules })).allow).toBe(true);
    expect(codesOf(engine.evaluate("deploy", patched(deployAllow, { ref: "refs/heads/feature/a/b", ...rules })))).toEqual(["ref.denied"]);
  });
});

describe("the pullrequest policy through WASM", () => {
  it("allows a pull request that meets every rule", () => {
    expect(engine.evaluate("pullrequest", pullAllow)).toEqual({ policy: "pullrequest", allow: true, deny: [], violations: [], warnings: [] });
  });

  it("reports one violation per failing rule, each naming its rule", () => {
    const decision = engine.evaluate("pullrequest", fixture("pullrequest.denied.every-rule"));
    expect(decision.violations.map((v) => [v.code, v.rule])).toEqual([
      ["approvals.insufficient", "approvals_required"],
      ["branch_naming.denied", "branch_rules"],
      ["signoff.missing", "signed_off"],
      ["target_branch.denied", "allowed_target_branches"],
    ]);
  });

  const cases: { name: string; patch: Json; code: string; msg: string }[] = [
    {
      name: "a head→base pair outside branch_rules",
      patch: { head_ref: "feature/login", base_ref: "main" },
      code: "branch_naming.denied",
      msg: "Branch feature/login may not be merged into main (branch_rules allow: feature/* -> develop, release/* -> main, hotfix/* -> main)",
    },
    {
      name: "a target outside allowed_target_branches",
      patch: { base_ref: "gh-pages", repo_policy: { policy: { branch_rules: [] } } },
      code: "target_branch.denied",
      msg: "Target branch gh-pages is not allowed (allowed_target_branches: develop, main, release/*)",
    },
    {
      name: "one approval of two",
      patch: { workflow_meta: { approvers: ["bob"] } },
      code: "approvals.insufficient",
      msg: "2 approvals required, 1 given (bob)",
    },
    {
      name: "no sign-off",
      patch: { workflow_meta: { signed_off: undefined } },
      code: "signoff.missing",
      msg: "The pull request is not signed off; this repository requires a sign-off",
    },
    { name: "no policy", patch: { repo_policy: null }, code: "policy.missing", msg: "No pull request policy was provided (repo_policy is missing)" },
    {
      name: "a policy without its policy document",
      patch: { repo_policy: { policy: undefined } },
      code: "policy.missing",
      msg: "No pull request policy was provided (repo_policy.policy is missing)",
    },
    {
      name: "malformed branch_rules",
      patch: { repo_policy: { policy: { branch_rules: [{ source: "feature/*" }] } } },
      code: "schema.policy.branch_rules_invalid",
      msg: "Policy field policy.branch_rules must be an array of {source, target} branch patterns (got array)",
    },
    {
      name: "a boolean approvals_required",
      patch: prRules({ approvals_required: true }),
      code: "schema.policy.approvals_required_invalid",
      msg: "Policy field policy.rules.approvals_required must be a non-negative integer (got boolean)",
    },
    {
      name: "a missing head_ref",
      patch: { head_ref: undefined },
      code: "schema.input.head_ref_not_string",
      msg: "Input field head_ref must be a branch name (got missing)",
    },
    {
      name: "an empty base_ref",
      patch: { base_ref: "" },
      code: "schema.input.base_ref_empty",
      msg: "Input field base_ref must be a branch name (got an empty string)",
    },
  ];

  it.each(cases)("denies $name with $code and its message", ({ patch, code, msg }) => {
    const decision = engine.evaluate("pullrequest", patched(pullAllow, patch));
    expect(decision.allow).toBe(false);
    expect(decision.violations).toEqual([expect.objectContaining({ code, msg })]);
    expect(decision.deny).toEqual([msg]);
  });

  it("fails closed when approvers and sign-off are missing", () => {
    const decision = engine.evaluate("pullrequest", patched(pullAllow, { workflow_meta: undefined }));
    expect(codesOf(decision)).toEqual(["approvals.insufficient", "signoff.missing"]);
  });
});

describe("evaluation", () => {
  it("throws an Error for a policy name it does not know", () => {
    expect(() => engine.evaluate("merge" as PolicyName, deployAllow)).toThrow('Unknown policy "merge"; expected one of deploy, pullrequest');
  });

  it("throws an Error for input that cannot be serialised to JSON", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => engine.evaluate("deploy", cyclic)).toThrow(/^The deploy policy input is not JSON-serialisable: /);
    expect(() => engine.evaluate("deploy", { n: 1n })).toThrow(/^The deploy policy input is not JSON-serialisable: /);
  });

  it("keeps one evaluation from affecting the next", () => {
    const denied = fixture("deploy.denied.every-rule");
    const first = engine.evaluate("deploy", deployAllow);
    engine.evaluate("deploy", denied);
    engine.evaluate("pullrequest", fixture("pullrequest.denied.every-rule"));
    expect(engine.evaluate("deploy", deployAllow)).toEqual(first);
    expect(codesOf(engine.evaluate("deploy", denied))).toHaveLength(6);
  });

  it("turns an input too large for the policy memory into an Error and keeps working", async () => {
    const small = await loadPolicyEngine(wasmPath, { maxMemoryMiB: 4 });
    const huge = patched(deployAllow, { workflow_meta: { approvers: Array.from({ length: 200_000 }, (_, i) => `user-${i}`) } });
    expect(() => small.evaluate("deploy", huge)).toThrow(/^Evaluating github\/deploy\/result failed: /);
    expect(small.evaluate("deploy", deployAllow).allow).toBe(true);
    expect(codesOf(small.evaluate("deploy", fixture("deploy.denied.every-rule")))).toHaveLength(6);
  });

  it("does not grow WASM memory over 10,000 evaluations of varied inputs", () => {
    const inputs = Array.from({ length: 50 }, (_, i) =>
      patched(deployAllow, {
        ref: `refs/heads/release/${i}`,
        workflow_meta: { approvers: Array.from({ length: i % 7 }, (_, j) => `user-${i}-${j}`), deployments_today: i % 9 },
        ...prodRules({ allowed_branches: [`release/${i}`, `hotfix-${i}/*`] }),
      }),
    );
    for (const input of inputs) engine.evaluate("deploy", input);
    const before = engine.wasmMemoryBytes();
    let allowed = 0;
    for (let i = 0; i < 10_000; i++) {
      if (engine.evaluate("deploy", inputs[i % inputs.length]).allow) allowed++;
    }
    expect(engine.wasmMemoryBytes()).toBe(before);
    // i % 7 >= 2 approvers and i % 9 <= 5 deployments: the same inputs give the same verdicts each round.
    const allowedPerRound = inputs.filter((_, i) => i % 7 >= 2 && i % 9 <= 5).length;
    expect(allowed).toBe(allowedPerRound * (10_000 / inputs.length));
  });
});
