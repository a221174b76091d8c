import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { ruleCase } from "../policy/custom/custom-rules-fixture.js";
import { fixtures, runRepol } from "./run-repol.js";

const scratch = mkdtempSync(join(tmpdir(), "repol-custom-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A checkout with valid YAML configs and the rules of a fixture case. */
function checkoutWith(ruleCaseName: string): string {
  const dir = mkdtempSync(join(scratch, "repo-"));
  cpSync(join(fixtures, "cli", "valid-repo", ".repol"), join(dir, ".repol"), { recursive: true });
  cpSync(join(ruleCase(ruleCaseName), ".repol", "policies"), join(dir, ".repol", "policies"), { recursive: true });
  return dir;
}

// Each test starts a process; they run side by side, so assertions use the test's own `expect`.
describe.concurrent("custom rules in the CLI", () => {
  it("validate reports a Rego syntax error as file:line:col and exits 1", async ({ expect }) => {
    const run = await runRepol(["validate", "."], { cwd: checkoutWith("syntax-error") });
    expect(run.code).toBe(1);
    expect(run.lines).toContain(".repol/policies/broken.rego:5:1: unexpected } token");
    expect(run.lines.at(-1)).toBe(".repol: 1 error in 1 file");
  });

  it("validate compiles valid rules and lists each rule file as ok", async ({ expect }) => {
    const run = await runRepol(["validate"], { cwd: checkoutWith("findings") });
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      ".repol/deploy.yaml: ok",
      ".repol/pullrequest.yaml: ok",
      ".repol/policies/labels.rego: ok",
      ".repol/policies/labels_test.rego: ok",
      ".repol/policies/lib/labels.rego: ok",
      ".repol/policies/size.rego: ok",
      ".repol: valid",
    ]);
  });

  it("eval includes the findings of the checkout's custom rules and exits 1 on a blocking one", async ({ expect }) => {
    const dir = checkoutWith("findings");
    const allowed = JSON.parse(readFileSync(join(fixtures, "policy-input", "deploy.allowed.json"), "utf8"));
    writeFileSync(join(dir, "input.json"), JSON.stringify({ ...allowed, environment: "production", pull_requests: [] }));
    const run = await runRepol(["eval", "deploy", "--input", "input.json"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.lines).toContain("  ✗ custom.repol.deploy.labels: production deploys need the change-approved label (repol.deploy.labels)");
    expect(run.lines.some((line) => /^custom rules: DENY \(3 files, sources sha256 [0-9a-f]{12}\)$/.test(line))).toBe(true);
  });

  it("test runs the rule tests through the WASM build and opa test, with example inputs, and exits 0", async ({ expect }) => {
    const run = await runRepol(["test"], { cwd: ruleCase("findings") });
    expect(run.code).toBe(0);
    expect(run.lines).toContain("PASS .repol/policies/labels_test.rego:18: data.repol.deploy.labels_test.test_documented_example_is_denied");
    expect(run.lines.at(-1)).toBe("4/4 passed in both opa test and repol's WASM build");
  });

  it("test fails loudly, exit 2, when the WASM build and opa test disagree", async ({ expect }) => {
    const run = await runRepol(["test", ruleCase("engines-disagree")]);
    expect(run.code).toBe(2);
    expect(run.lines).toContain(
      "DISAGREE .repol/policies/numbers_test.rego:9: data.repol.deploy.numbers_test.test_large_id_is_named: opa test says pass, repol's WASM build says error (strings: get uint failed)",
    );
  });

  it("test exits 2 on a failing test, as opa test does", async ({ expect }) => {
    const dir = checkoutWith("findings");
    writeFileSync(
      join(dir, ".repol", "policies", "wrong_test.rego"),
      "package repol.deploy.wrong_test\n\nimport data.repol.deploy.labels\n\ntest_wrong if count(labels.deny) == 5\n",
    );
    const run = await runRepol(["test"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.lines).toContain("FAIL .repol/policies/wrong_test.rego:5: data.repol.deploy.wrong_test.test_wrong");
  });

  it("test exits 1 with file:line:col when the rules do not compile", async ({ expect }) => {
    const run = await runRepol(["test", ruleCase("http-send")]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([expect.stringMatching(/^\.repol\/policies\/fetch\.rego:4:\d+: builtin http\.send is not allowed in repol custom rules/)]);
  });
});
