import { afterEach, expect, it } from "vitest";
import { compileRego } from "../../../src/policy/custom/compile-rego.js";
import { compileSlots } from "../../../src/policy/custom/compile-slots.js";
import { createCustomRules } from "../../../src/policy/custom/custom-rules.js";
import { MAX_RULE_BYTES, MAX_RULE_FILES } from "../../../src/policy/custom/custom-rule-limits.js";
import type { CustomRules, RuleFile } from "../../../src/policy/custom/custom-rule-types.js";
import { evaluationPool } from "../../../src/policy/custom/evaluation-pool.js";
import { findOpa } from "../../../src/policy/custom/find-opa.js";
import { sandboxFor } from "../../../src/policy/custom/sandbox-capabilities.js";
import { ENTRY_PATH, ENTRYPOINT, entryModule } from "../../../src/policy/custom/rule-packages.js";
import { rulesOf, testCustomRules } from "./custom-rules-fixture.js";

let rules: CustomRules | undefined;
afterEach(async () => {
  await rules?.close();
  rules = undefined;
});

const ruleFile = (path: string, text = "package repol.deploy.x\n"): RuleFile => ({ path, text, sha: "0".repeat(40) });

it.each([
  ["too many files", Array.from({ length: MAX_RULE_FILES + 1 }, (_, i) => ruleFile(`.repol/policies/r${i}.rego`)), /65 rule files; repol compiles at most 64/],
  [
    "too many bytes",
    [ruleFile(".repol/policies/big.rego", `package repol.deploy.big\n#${"x".repeat(MAX_RULE_BYTES)}\n`)],
    /repol compiles at most 524288 \(512 KiB\)/,
  ],
  ["a path outside .repol/policies", [ruleFile(".repol/policies/../../etc/x.rego")], /is not a \.rego file under \.repol\/policies\//],
])("fails closed on %s, compiling nothing", async (_case, files, message) => {
  const compiles: string[] = [];
  rules = createCustomRules({ onCompile: (digest) => compiles.push(digest), pool: evaluationPool({ workers: 1 }) });
  const result = await rules.evaluate("deploy", files, {});

  expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(message) }] });
  expect(compiles).toEqual([]);
});

it("fails closed with how to install OPA when the pinned OPA cannot be found", async () => {
  rules = createCustomRules({ locateOpa: () => findOpa(["/nonexistent/opa"]), pool: evaluationPool({ workers: 1 }) });
  const result = await rules.evaluate("deploy", rulesOf("findings"), {});

  expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/custom rules need OPA v1\.22\.2.*node scripts\/ensure-opa\.mjs/) }] });
});

it("fails closed when more compiles wait than the queue holds", async () => {
  let release = () => {};
  const slots = compileSlots(1, 0);
  const busy = slots.run(() => new Promise<void>((resolve) => (release = resolve)));
  rules = createCustomRules({ slots, pool: evaluationPool({ workers: 1 }) });
  const result = await rules.evaluate("deploy", rulesOf("findings"), {});
  release();
  await busy;

  expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/too many custom rule sets are waiting to be compiled/) }] });
});

it("runs queued compiles one after another, never more at once than allowed", async () => {
  const slots = compileSlots(2, 10);
  let running = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const tasks = Array.from({ length: 5 }, () =>
    slots.run(async () => {
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
    }),
  );
  while (gates.length > 0 || running > 0) {
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  }
  await Promise.all(tasks);
  expect(most).toBe(2);
});

it("kills a compile that runs past its time limit and says so", async () => {
  const opa = await findOpa();
  if (!opa.ok) throw new Error(opa.message);
  const result = await compileRego(
    { opa: opa.binary, sandbox: await sandboxFor(opa.binary), timeoutMs: 1 },
    { files: rulesOf("findings"), generated: [{ path: ENTRY_PATH, text: entryModule(["repol.deploy.labels"]) }], entrypoints: [ENTRYPOINT] },
  );

  expect(result).toMatchObject({ ok: false, passing: true, errors: [{ message: "opa check took longer than 0.001 s and was stopped; simplify the rules" }] });
});

it("fails closed, naming the package, when a rule needs more memory than the cap", async () => {
  rules = testCustomRules({ pool: { maxMemoryMiB: 16, timeoutMs: 60_000 } });
  const result = await rules.evaluate("deploy", rulesOf("memory"), {});

  expect(result).toMatchObject({
    ok: false,
    errors: [
      { package: "repol.deploy.hoard", file: ".repol/policies/hoard.rego", message: expect.stringMatching(/^custom rules repol\.deploy\.hoard: .*malloc/) },
    ],
  });
});
