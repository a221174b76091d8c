// The engine's reading of untyped WASM results, checked against small bundles that misbehave on
// purpose: whatever a bundle returns, a Decision only allows when everything says allow.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";

const repoRoot = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "repol-engine-results-"));

/** Compiles Rego modules (one package each) to a policy.wasm with the pinned OPA; returns its path. */
function compileWasm(name: string, modules: string[], entrypoints: string[]): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const files = modules.map((source, i) => {
    const file = join(dir, `module${i}.rego`);
    writeFileSync(file, source);
    return file;
  });
  const bundle = join(dir, "bundle.tar.gz");
  const args = ["build", "-t", "wasm", ...entrypoints.flatMap((e) => ["-e", e]), "-o", bundle, ...files];
  execFileSync(process.execPath, [join(repoRoot, "scripts", "opa.mjs"), ...args], { stdio: "pipe" });
  execFileSync("tar", ["-xzf", bundle, "-C", dir, "/policy.wasm"], { stdio: "pipe" });
  return join(dir, "policy.wasm");
}

const allEntrypoints = ["github/deploy/result", "github/pullrequest/result"];

// The result echoes the input, so one bundle can play any misbehaviour.
const echoSource = `
package github.deploy

result := input
`;

const pullrequestSource = (condition: string) => `
package github.pullrequest

result := {"allow": false, "deny": [], "violations": []} if ${condition}
`;

let echo: WasmPolicyEngine;

beforeAll(async () => {
  echo = await loadPolicyEngine(compileWasm("echo", [echoSource, pullrequestSource("true")], allEntrypoints));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("reading a bundle's results", () => {
  it("allows only when allow is exactly true and nothing is denied", () => {
    expect(echo.evaluate("deploy", { allow: true, deny: [], violations: [] })).toEqual({
      policy: "deploy",
      allow: true,
      deny: [],
      violations: [],
      warnings: [],
    });
  });

  it("denies when allow is true but a violation is reported", () => {
    const decision = echo.evaluate("deploy", { allow: true, deny: [], violations: [{ code: "x.y", msg: "no" }] });
    expect(decision.allow).toBe(false);
    expect(decision.violations).toEqual([{ code: "x.y", msg: "no" }]);
  });

  it("denies when allow is true but deny holds a message, adding a reason", () => {
    const decision = echo.evaluate("deploy", { allow: true, deny: ["stop"], violations: [] });
    expect(decision.allow).toBe(false);
    expect(decision.deny).toEqual(["stop"]);
    expect(decision.violations.map((v) => v.code)).toEqual(["engine.denied_without_reason"]);
  });

  it("gives a denial without violations a reason a user can read", () => {
    const decision = echo.evaluate("pullrequest", {});
    expect(decision).toEqual({
      policy: "pullrequest",
      allow: false,
      deny: [],
      violations: [{ code: "engine.denied_without_reason", msg: "The policy denied this request without reporting a violation" }],
      warnings: [],
    });
  });

  it("allows with warnings, listed apart and sorted, when nothing blocks", () => {
    const decision = echo.evaluate("deploy", {
      allow: true,
      deny: [],
      violations: [],
      warnings: [
        { code: "signoff.missing", msg: "not signed off", rule: "signed_off" },
        { code: "approvals.insufficient", msg: "1 of 2", rule: "approvals_required" },
      ],
    });
    expect(decision.allow).toBe(true);
    expect(decision.violations).toEqual([]);
    expect(decision.warnings.map((w) => w.rule)).toEqual(["approvals_required", "signed_off"]);
  });

  it("denies when a violation blocks, whatever the warnings", () => {
    const decision = echo.evaluate("deploy", { allow: true, deny: [], violations: [{ code: "x.y", msg: "no" }], warnings: [{ code: "a.b", msg: "w" }] });
    expect(decision.allow).toBe(false);
    expect(decision.warnings).toEqual([{ code: "a.b", msg: "w" }]);
  });

  it("sorts violations by code and deny messages, dropping duplicate messages, and keeps violation details", () => {
    const decision = echo.evaluate("deploy", {
      allow: false,
      deny: ["b", "a", "b"],
      violations: [
        { code: "z.last", msg: "2" },
        { code: "a.first", msg: "1", required: 2, rule: "approvals_required" },
      ],
    });
    expect(decision.deny).toEqual(["a", "b"]);
    expect(decision.violations).toEqual([
      { code: "a.first", msg: "1", required: 2, rule: "approvals_required" },
      { code: "z.last", msg: "2" },
    ]);
  });

  it.each([
    { name: "allow is a string", input: { allow: "true", deny: [], violations: [] }, error: 'github/deploy/allow returned "true", expected a boolean' },
    { name: "allow is undefined", input: { deny: [], violations: [] }, error: "github/deploy/allow returned undefined, expected a boolean" },
    {
      name: "the result is an array",
      input: [true, [], []],
      error: "github/deploy/result returned [true,[],[]], expected an object with allow, deny and violations",
    },
    { name: "the result is null", input: null, error: "github/deploy/result returned null, expected an object with allow, deny and violations" },
    { name: "deny holds a number", input: { allow: true, deny: [1], violations: [] }, error: "github/deploy/deny returned [1], expected an array of strings" },
    { name: "violations is an object", input: { allow: true, deny: [], violations: {} }, error: "github/deploy/violations returned {}, expected an array" },
    {
      name: "warnings is a string",
      input: { allow: true, deny: [], violations: [], warnings: "w" },
      error: 'github/deploy/warnings returned "w", expected an array',
    },
    {
      name: "a warning lacks code",
      input: { allow: true, deny: [], violations: [], warnings: [{ msg: "m" }] },
      error: 'github/deploy/warnings returned {"msg":"m"}, expected objects with string code and msg',
    },
    {
      name: "a violation lacks msg",
      input: { allow: false, deny: [], violations: [{ code: "a" }] },
      error: 'github/deploy/violations returned {"code":"a"}, expected objects with string code and msg',
    },
    {
      name: "a violation has an empty code",
      input: { allow: false, deny: [], violations: [{ code: "", msg: "m" }] },
      error: /^github\/deploy\/violations returned \{.*\}, expected objects with string code and msg$/,
    },
  ])("throws an Error when $name", ({ input, error }) => {
    expect(() => echo.evaluate("deploy", input)).toThrow(error);
  });

  it("throws an Error when a policy's result is undefined", async () => {
    // github.pullrequest.result is undefined here, so its result set is empty.
    const engine = await loadPolicyEngine(compileWasm("undefined", [echoSource, pullrequestSource("input.never_set")], allEntrypoints));
    expect(() => engine.evaluate("pullrequest", {})).toThrow("github/pullrequest/result returned [], expected exactly one result");
  });

  it("rejects a bundle built with only the allow, deny and violations entrypoints when loading it", async () => {
    const rules = (pkg: string) => `package github.${pkg}\n\nallow := false\n\ndeny := []\n\nviolations := []\n`;
    const entrypoints = ["deploy", "pullrequest"].flatMap((p) => ["allow", "deny", "violations"].map((e) => `github/${p}/${e}`));
    const wasm = compileWasm("rules-only", [rules("deploy"), rules("pullrequest")], entrypoints);
    await expect(loadPolicyEngine(wasm)).rejects.toThrow(
      `The policy bundle ${wasm} lacks the entrypoints github/deploy/result, github/pullrequest/result; rebuild it with: npm run build:policies`,
    );
  });

  it("rejects a bundle that lacks repol's entrypoints when loading it", async () => {
    const wasm = compileWasm("other", ["package other\n\nallow := true\n"], ["other/allow"]);
    await expect(loadPolicyEngine(wasm)).rejects.toThrow(
      `The policy bundle ${wasm} lacks the entrypoints ${allEntrypoints.join(", ")}; rebuild it with: npm run build:policies`,
    );
  });
});
