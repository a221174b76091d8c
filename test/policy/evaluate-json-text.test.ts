// The engine's one-call evaluation against opa-wasm's own evaluate() on a second instance of the same
// bundle: the same result sets, whatever the input's size or characters.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonTextBuffer } from "../../src/policy/encode-policy-input.js";
import { canEvaluateInOneCall, evaluateJsonText } from "../../src/policy/evaluate-json-text.js";

const repoRoot = join(import.meta.dirname, "..", "..");
const wasm = readFileSync(join(repoRoot, "build", "policies", "policy.wasm"));
const inputs = join(repoRoot, "test", "fixtures", "policy-input");
const fixtures = readdirSync(inputs).filter((file) => file.endsWith(".json"));

let oneCall: LoadedPolicy;
let reference: LoadedPolicy;
beforeAll(async () => {
  oneCall = await loadPolicy(wasm, { initial: 5, maximum: 64 });
  reference = await loadPolicy(wasm, { initial: 5, maximum: 64 });
});

const entrypointOf = (file: string) => (reference.entrypoints as Record<string, number>)[`github/${file.split(".")[0]}/result`]!;
const both = (file: string, json: string | undefined) => ({
  oneCall: evaluateJsonText(oneCall, entrypointOf(file), json),
  reference: reference.evaluate(json === undefined ? undefined : jsonTextBuffer(json), entrypointOf(file)),
});

describe("evaluateJsonText", () => {
  it("is available for the built bundle", () => {
    expect(canEvaluateInOneCall(oneCall)).toBe(true);
  });

  it.each(fixtures)("gives the result set opa-wasm's evaluate() gives for %s", (file) => {
    const { oneCall: got, reference: expected } = both(file, readFileSync(join(inputs, file), "utf8"));
    expect(got).toEqual(expected);
    expect(got).toHaveLength(1);
  });

  it("gives the same result set for no input, null and a bare string", () => {
    for (const json of [undefined, "null", '""']) {
      const { oneCall: got, reference: expected } = both("deploy.allowed.json", json);
      expect(got).toEqual(expected);
    }
  });

  it("writes multi-byte characters whole, so text after them is read as sent", () => {
    const input = JSON.parse(readFileSync(join(inputs, "deploy.denied.every-rule.json"), "utf8"));
    const json = JSON.stringify({ ...input, environment: "prod-é-日本-🚀", ref: "refs/heads/fix/ünïcödé-🚀" });
    const { oneCall: got, reference: expected } = both("deploy.denied.every-rule.json", json);
    expect(got).toEqual(expected);
    expect(JSON.stringify(got)).toContain("🚀");
  });

  it("grows the policy's memory for an input larger than the room left, and evaluates it", () => {
    const input = JSON.parse(readFileSync(join(inputs, "deploy.allowed.release.json"), "utf8"));
    const json = JSON.stringify({ ...input, padding: "é".repeat(600_000) });
    const before = oneCall.mem.buffer.byteLength;
    expect(json.length * 3).toBeGreaterThan(before);
    const { oneCall: got, reference: expected } = both("deploy.allowed.release.json", json);
    expect(got).toEqual(expected);
    expect(oneCall.mem.buffer.byteLength).toBeGreaterThan(before);
  });

  it("throws when the input does not fit under the memory cap, and the next evaluation still works", async () => {
    const capped = await loadPolicy(wasm, { initial: 5, maximum: 8 });
    const json = JSON.stringify({ padding: "x".repeat(1_000_000) });
    expect(() => evaluateJsonText(capped, entrypointOf("deploy.allowed.json"), json)).toThrow(RangeError);
    const allowed = readFileSync(join(inputs, "deploy.allowed.json"), "utf8");
    expect(evaluateJsonText(capped, entrypointOf("deploy.allowed.json"), allowed)).toEqual(both("deploy.allowed.json", allowed).reference);
  });
});
