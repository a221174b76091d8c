// The builtins the sandbox allows must give in repol's WASM build what they give in `opa eval` (what
// `opa test` runs): a rule must not pass its tests and then decide differently in production.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, expect, it } from "vitest";
import { findOpa } from "../../../src/policy/custom/find-opa.js";
import { ruleCase, rulesOf, testCustomRules } from "./custom-rules-fixture.js";

const rules = testCustomRules();
afterAll(() => rules.close());

it("gives the same results as opa eval for the allowed builtins on awkward arguments", async () => {
  const dir = ruleCase("parity");
  const input = JSON.parse(readFileSync(join(dir, "input.json"), "utf8"));
  const opa = await findOpa();
  if (!opa.ok) throw new Error(opa.message);
  const out = execFileSync(opa.binary, ["eval", "--format", "json", "-d", ".repol/policies", "-i", "input.json", "data.repol.deploy.parity.cases"], {
    cwd: dir,
    encoding: "utf8",
  });
  const expected = (JSON.parse(out) as { result: [{ expressions: [{ value: Record<string, unknown> }] }] }).result[0].expressions[0].value;

  const result = await rules.evaluate("deploy", rulesOf("parity"), input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const actual = result.findings.warnings[0]?.cases as Record<string, unknown>;

  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  const differing = Object.keys(expected).filter((name) => !isDeepStrictEqual(actual[name], expected[name]));
  expect(Object.fromEntries(differing.map((name) => [name, actual[name]]))).toEqual(Object.fromEntries(differing.map((name) => [name, expected[name]])));
});
