import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";
import { fixtures, runRepol } from "./run-repol.js";

const inputs = join(fixtures, "policy-input");
const input = (name: string) => join(inputs, name);
const validConfig = join(fixtures, "cli", "valid-repo", ".repol", "deploy.yaml");
let engine: PolicyEngine;

beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

// Each test starts a process; they run side by side, so assertions use the test's own `expect`.
describe.concurrent("repol eval", () => {
  it("prints ALLOW and exits 0 for an allowed deployment", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.allowed.json")]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual(["deploy: ALLOW", "  ✓ every rule passed"]);
  });

  it("prints DENY with every violation and exits 1 for a denied deployment", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.denied.json")]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "deploy: DENY",
      "  ✗ approvals.insufficient: 2 approvals required, 1 given (alice)",
      "  ✗ ref.denied: Branch feature/login may not deploy to production (allowed_branches: main)",
    ]);
  });

  it("evaluates the pull request policy too", async ({ expect }) => {
    const run = await runRepol(["eval", "pullrequest", "--input", input("pullrequest.allowed.json")]);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("pullrequest: ALLOW");
  });

  it("prints the engine's decision as JSON with --format json", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.denied.json"), "--format", "json"]);
    expect(run.code).toBe(1);
    const decision = engine.evaluate("deploy", JSON.parse(readFileSync(input("deploy.denied.json"), "utf8")));
    expect(JSON.parse(run.stdout)).toEqual({ policy: "deploy", allow: false, deny: decision.deny, violations: decision.violations, warnings: [] });
  });

  it("prints ALLOW with each warning and exits 0 when only a rule set to warn failed", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.allowed.with-warning.json")]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual(["deploy: ALLOW", "  ⚠ approvals.insufficient: 2 approvals required, 1 given (alice)"]);
  });

  it("uses a local config file in place of the input's repo_policy with --config", async ({ expect }) => {
    // The input allows only main; the local file also allows release/*, which the message lists.
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.denied.json"), "--config", validConfig]);
    expect(run.code).toBe(1);
    expect(run.lines).toContain("  ✗ ref.denied: Branch feature/login may not deploy to production (allowed_branches: main, release/*)");
  });

  it("prints config errors as file:line:col and exits 1 without a decision when --config is invalid", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.allowed.json"), "--config", "../invalid-repo/.repol/deploy.yaml"], {
      cwd: join(fixtures, "cli", "valid-repo"),
    });
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      expect.stringMatching(/^\/.*invalid-repo\/\.repol\/deploy\.yaml:6:29: /),
      expect.stringMatching(/^\/.*invalid-repo\/\.repol\/deploy\.yaml:7:9: /),
    ]);
    expect(run.stdout).not.toMatch(/ALLOW|DENY/);
  });

  it("reads the input from standard input with --input -", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", "-"], { stdin: readFileSync(input("deploy.allowed.json"), "utf8") });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("deploy: ALLOW");
  });

  it("uses the bundle named by POLICY_WASM_PATH", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", input("deploy.allowed.json")], { env: { POLICY_WASM_PATH: "/nonexistent/policy.wasm" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/policy bundle \/nonexistent\/policy\.wasm does not exist/);
  });

  it.for([
    ["no policy", ["eval", "--input", "x.json"], /eval needs a policy: deploy or pullrequest/],
    ["an unknown policy", ["eval", "merge", "--input", "x.json"], /eval needs a policy/],
    ["no --input", ["eval", "deploy"], /eval needs --input/],
    ["a missing input file", ["eval", "deploy", "--input", "/nonexistent.json"], /cannot read input \/nonexistent\.json: ENOENT/],
    ["an input that is not JSON", ["eval", "deploy", "--input", join(fixtures, "cli", "valid-repo", ".repol", "deploy.yaml")], /is not valid JSON/],
    ["an unknown option", ["eval", "deploy", "--inptu", "x.json"], /Unknown option '--inptu'/],
    ["a missing bundle", ["eval", "deploy", "--input", input("deploy.allowed.json"), "--bundle", "/nonexistent.wasm"], /npm run build:policies/],
  ] as const)("exits 2 with a message on stderr for %s", async ([, args, message], { expect }) => {
    const run = await runRepol([...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it("exits 2 for an input that is a JSON array, not a policy input", async ({ expect }) => {
    const run = await runRepol(["eval", "deploy", "--input", "-"], { stdin: "[]" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/must hold a JSON object/);
  });
});

describe("the eval fixtures", () => {
  it("are decided as their names say by the bundle", () => {
    const read = (name: string) => JSON.parse(readFileSync(input(name), "utf8"));
    expect(engine.evaluate("deploy", read("deploy.allowed.json")).allow).toBe(true);
    expect(engine.evaluate("deploy", read("deploy.denied.json")).allow).toBe(false);
    expect(engine.evaluate("pullrequest", read("pullrequest.allowed.json")).allow).toBe(true);
  });
});
