// Loads the compiled policy bundle (build/policies/policy.wasm) and turns its untyped results into
// Decisions. Everything uncertain is read as "deny": the engine fails closed, never open.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { POLICY_NAMES, type PolicyName } from "../domain/policy-name.js";
import type { PolicyResult, Violation } from "../domain/verdict.js";
import type { PolicyEngine } from "./engine-types.js";
import { arrayBufferOf, jsonTextBuffer, policyInputJson } from "./encode-policy-input.js";
import { canEvaluateInOneCall, evaluateJsonText } from "./evaluate-json-text.js";

// Each policy's `result` rule holds allow, deny, violations and warnings: one evaluation per decision.
type ResultPart = "result" | "allow" | "deny" | "violations" | "warnings";

// 64 KiB pages. The WASM heap is reused between evaluations but never shrinks, so a cap keeps one
// oversized input from holding memory for the life of the process; hitting it is an evaluation error.
const DEFAULT_MAX_MEMORY_MIB = 256;
const PAGE_BYTES = 64 * 1024;

export interface PolicyEngineOptions {
  /** Upper bound of the policy's WASM memory; an input needing more fails to evaluate. */
  maxMemoryMiB?: number;
}

export interface WasmPolicyEngine extends PolicyEngine {
  /** The compiled bundle as loaded, kept so the audit store can hold it under its digest. */
  readonly wasm: Uint8Array;
  /** Current size of the WASM linear memory (for metrics and leak checks). */
  wasmMemoryBytes(): number;
}

export async function loadPolicyEngine(wasmPath: string, options: PolicyEngineOptions = {}): Promise<WasmPolicyEngine> {
  return loadPolicyEngineFromBytes(await readBundle(wasmPath), wasmPath, options);
}

/** Loads a bundle already in memory, e.g. one kept in the audit store; `source` names it in errors. */
export async function loadPolicyEngineFromBytes(wasm: Uint8Array, source: string, options: PolicyEngineOptions = {}): Promise<WasmPolicyEngine> {
  const digest = createHash("sha256").update(wasm).digest("hex");
  const maxPages = Math.ceil(((options.maxMemoryMiB ?? DEFAULT_MAX_MEMORY_MIB) * 1024 * 1024) / PAGE_BYTES);

  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy(arrayBufferOf(wasm), { initial: Math.min(5, maxPages), maximum: maxPages });
  } catch (error) {
    throw new Error(`Could not load the policy bundle ${source} (sha256 ${digest}): ${describe(error)}; rebuild it with: npm run build:policies`);
  }
  const entrypoints = entrypointIds(policy, source);
  const evaluateOnce: EvaluateOnce = canEvaluateInOneCall(policy)
    ? (entrypoint, json) => evaluateJsonText(policy, entrypoint, json)
    : (entrypoint, json) => policy.evaluate(json === undefined ? undefined : jsonTextBuffer(json), entrypoint);

  return {
    digest,
    wasm,
    evaluate: (name, input) => evaluateDecision(evaluateOnce, entrypoints, name, input),
    wasmMemoryBytes: () => policy.mem.buffer.byteLength,
  };
}

async function readBundle(wasmPath: string): Promise<Buffer> {
  try {
    return await readFile(wasmPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`The compiled policy bundle ${wasmPath} does not exist; run: npm run build:policies`);
    }
    throw new Error(`Could not read the policy bundle ${wasmPath}: ${describe(error)}`);
  }
}

/** The bundle's number for each policy's result entrypoint, so an evaluation need not look it up by name. */
function entrypointIds(policy: LoadedPolicy, wasmPath: string): Record<PolicyName, number> {
  const ids = policy.entrypoints as Record<string, unknown>;
  const missing = POLICY_NAMES.map(entrypointOf).filter((entrypoint) => !Object.hasOwn(ids, entrypoint) || typeof ids[entrypoint] !== "number");
  if (missing.length > 0) {
    throw new Error(`The policy bundle ${wasmPath} lacks the entrypoints ${missing.join(", ")}; rebuild it with: npm run build:policies`);
  }
  return Object.fromEntries(POLICY_NAMES.map((name) => [name, ids[entrypointOf(name)]])) as Record<PolicyName, number>;
}

/** One evaluation of an entrypoint with the input's JSON text (undefined: no input): its parsed result set. */
type EvaluateOnce = (entrypoint: number, json: string | undefined) => unknown;

function evaluateDecision(evaluateOnce: EvaluateOnce, entrypoints: Record<PolicyName, number>, name: PolicyName, input: unknown): PolicyResult {
  if (!POLICY_NAMES.includes(name)) {
    throw new Error(`Unknown policy "${String(name)}"; expected one of ${POLICY_NAMES.join(", ")}`);
  }
  // Handed over as JSON text: given an object opa-wasm would serialise it itself, and a bare
  // `undefined` (or any falsy value) would reach the policy as "no input"; JSON text keeps null, 0 and
  // "" distinct. An input that cannot be encoded is refused before the policy runs.
  const json = policyInputJson(input, `The ${name} policy input`);
  let resultSet: unknown;
  try {
    resultSet = evaluateOnce(entrypoints[name], json);
  } catch (error) {
    // opa-wasm throws plain strings (opa_abort) and objects as well as Errors.
    throw new Error(`Evaluating ${entrypointOf(name)} failed: ${describe(error)}`);
  }
  if (!Array.isArray(resultSet) || resultSet.length !== 1 || !isRecord(resultSet[0]) || !("result" in resultSet[0])) {
    throw resultError(name, "result", "exactly one result", resultSet);
  }
  return decisionFromResults(name, resultSet[0].result);
}

/**
 * Reads the untyped value of a policy's `result` rule (from the bundle, or from `opa eval`) as a
 * Decision. Its allow, deny, violations and warnings are those of the rules of the same names.
 */
export function decisionFromResults(name: PolicyName, result: unknown): PolicyResult {
  if (!isRecord(result)) throw resultError(name, "result", "an object with allow, deny and violations", result);
  // Most decisions allow with nothing to report: the same decision as below, without sorting empty lists.
  if (result.allow === true && isEmptyList(result.deny) && isEmptyList(result.violations) && (result.warnings === undefined || isEmptyList(result.warnings))) {
    return { policy: name, allow: true, deny: [], violations: [], warnings: [] };
  }
  if (typeof result.allow !== "boolean") throw resultError(name, "allow", "a boolean", result.allow);
  const deny = parseDeny(name, result.deny);
  const violations = parseViolations(name, "violations", result.violations);
  // Bundles built before per-rule enforcement (kept in the audit store for replays) have no warnings.
  const warnings = result.warnings === undefined ? [] : parseViolations(name, "warnings", result.warnings);
  const allow = result.allow && violations.length === 0 && deny.length === 0;
  if (!allow && violations.length === 0) {
    // A denial must always carry a reason a user can act on.
    violations.push({ code: "engine.denied_without_reason", msg: "The policy denied this request without reporting a violation" });
  }
  return { policy: name, allow, deny, violations, warnings };
}

/** The messages sorted, each once: one copy and one sort, as this runs for every decision. */
function parseDeny(name: PolicyName, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw resultError(name, "deny", "an array of strings", value);
  }
  const sorted = (value as string[]).slice().sort();
  return sorted.filter((message, i) => i === 0 || message !== sorted[i - 1]);
}

function parseViolations(name: PolicyName, part: "violations" | "warnings", value: unknown): Violation[] {
  if (!Array.isArray(value)) throw resultError(name, part, "an array", value);
  const violations = value.map((item): Violation => {
    if (!isRecord(item) || typeof item.code !== "string" || typeof item.msg !== "string" || item.code === "") {
      throw resultError(name, part, "objects with string code and msg", item);
    }
    return { code: item.code, msg: item.msg, ...item };
  });
  return violations.sort((a, b) => compare(a.code, b.code) || compare(a.msg, b.msg));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const entrypointOf = (name: PolicyName): string => `github/${name}/result`;

const isEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length === 0;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resultError(name: PolicyName, entry: ResultPart, expected: string, got: unknown): Error {
  const shown = JSON.stringify(got) ?? String(got);
  return new Error(`github/${name}/${entry} returned ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}, expected ${expected}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  if (isRecord(error) && typeof error.message === "string") return error.message;
  return JSON.stringify(error) ?? String(error);
}
