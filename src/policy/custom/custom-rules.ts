// A repository's custom Rego rules for one policy input: compiled once per distinct set of sources
// (cached in memory and in the store), evaluated in a worker pool, read as findings. Every failure
// comes back as positioned errors, never as an empty list of findings.
import { encodePolicyInput } from "../encode-policy-input.js";
import { checkSubmission, compileRego, type Compiler } from "./compile-rego.js";
import { compiledModules, type CompiledModuleStore, type ModuleLookup } from "./compiled-modules.js";
import { compileSlots, type CompileSlots } from "./compile-slots.js";
import { CONCURRENT_COMPILES, QUEUED_COMPILES } from "./custom-rule-limits.js";
import {
  generalError,
  type CustomPolicyKind,
  type CustomRuleError,
  type CustomRules,
  type CustomRulesCompiled,
  type CustomRulesResult,
  type RuleFile,
} from "./custom-rule-types.js";
import { evaluationPool, type EvaluationPool } from "./evaluation-pool.js";
import { findOpa, type OpaLookup } from "./find-opa.js";
import { readFindings } from "./read-findings.js";
import { ruleDigest } from "./rule-digest.js";
import { ENTRY_PATH, ENTRYPOINT, entryModule, isTestFile, packagesOf, placeEntryErrors, policyPackages } from "./rule-packages.js";
import { sandboxFor } from "./sandbox-capabilities.js";

export interface CustomRulesOptions {
  store?: CompiledModuleStore;
  pool?: EvaluationPool;
  slots?: CompileSlots;
  locateOpa?: () => Promise<OpaLookup>;
  /** Called before each `opa` compile (metrics; tests count them). */
  onCompile?: (digest: string, policy: CustomPolicyKind) => void;
  /**
   * A store that cannot be read or written then costs a compile, not a decision, and is reported
   * here. Without a handler the error is not hidden: the evaluation fails closed with it.
   */
  onStoreError?: (error: Error, digest: string) => void;
}

type Prepared =
  | { ok: false; digest: string; errors: CustomRuleError[] }
  | { ok: true; digest: string; files: { path: string; sha: string }[]; names: string[]; byFile: ReadonlyMap<string, string>; wasm?: Uint8Array };

const failOnStoreError = (error: Error, digest: string): never => {
  throw new Error(`the store of compiled custom rules failed for sha256 ${digest}: ${error.message}`, { cause: error });
};

export function createCustomRules(options: CustomRulesOptions = {}): CustomRules {
  const pool = options.pool ?? evaluationPool();
  const slots = options.slots ?? compileSlots(CONCURRENT_COMPILES, QUEUED_COMPILES);
  const modules = compiledModules(options.store, options.onStoreError ?? failOnStoreError);
  let compiler: Promise<Compiler & { version: string }> | undefined;

  // A missing OPA is looked for again next time (it may be installed meanwhile); a found one is kept.
  const compilerOnce = async (): Promise<(Compiler & { version: string }) | { message: string }> => {
    compiler ??= (async () => {
      const opa = await (options.locateOpa ?? findOpa)();
      if (!opa.ok) throw new Error(opa.message);
      return { opa: opa.binary, version: opa.version, sandbox: await sandboxFor(opa.binary) };
    })();
    try {
      return await compiler;
    } catch (error) {
      compiler = undefined;
      return { message: (error as Error).message };
    }
  };

  // The wiring step is promised plain data: an unexpected failure (a temporary folder that cannot be
  // written, a store that throws) is an error result like any other.
  async function evaluate(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[], input: unknown): Promise<CustomRulesResult> {
    try {
      return await evaluateRules(policy, ruleFiles, input);
    } catch (error) {
      return {
        ok: false,
        digest: ruleDigest(policy, ruleFiles, "unknown"),
        errors: [generalError(`custom rules could not be evaluated: ${(error as Error).message}`)],
      };
    }
  }

  /** The module for these sources, compiled or found; `wasm` is absent when no package applies to the policy. */
  async function prepare(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[]): Promise<Prepared> {
    const files = ruleFiles.filter((file) => !isTestFile(file.path));
    const refused = checkSubmission(ruleFiles);
    const packages = packagesOf(files);
    const pending = ruleDigest(policy, files, "unknown");
    if (refused.length > 0) return { ok: false, digest: pending, errors: refused };
    if (!packages.ok) return { ok: false, digest: pending, errors: packages.errors };
    const names = policyPackages(policy, packages.byFile);
    const prepared = { ok: true as const, digest: pending, files: files.map(({ path, sha }) => ({ path, sha })), names, byFile: packages.byFile };
    if (names.length === 0) return prepared;

    const found = await compilerOnce();
    if ("message" in found) return { ok: false, digest: pending, errors: [generalError(found.message)] };
    const digest = ruleDigest(policy, files, found.version);
    const lookup = await modules.get(digest, () => compileQueued(found, digest, policy, files, names));
    return lookup.ok ? { ...prepared, digest, wasm: lookup.module.wasm } : { ok: false, digest, errors: placeEntryErrors(lookup.errors, packages.byFile) };
  }

  async function evaluateRules(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[], input: unknown): Promise<CustomRulesResult> {
    const prepared = await prepare(policy, ruleFiles);
    if (!prepared.ok) return prepared;
    const { digest, files, names, byFile, wasm } = prepared;
    const passed = { ok: true as const, digest, files, findings: { blocking: [], warnings: [] } };
    if (names.length === 0) return passed;
    if (!(wasm instanceof Uint8Array))
      return { ok: false, digest, errors: [generalError("the compiled custom rules could not be found; repol does not apply rules it cannot read")] };

    const fileOf = (pkg: string) => [...byFile].find(([, name]) => name === pkg)?.[0] ?? ".repol/policies";
    const blame = (message: string, pkg?: string): CustomRulesResult => {
      const named = pkg ?? (names.length === 1 ? names[0] : undefined);
      return { ok: false, digest, errors: [generalError(`custom rules ${pkg ?? names.join(", ")}: ${message}`, fileOf(named ?? names[0]!), named)] };
    };
    let encoded: ArrayBuffer | undefined;
    try {
      encoded = encodePolicyInput(input, `The ${policy} policy input`);
    } catch (error) {
      return blame((error as Error).message);
    }
    const outcome = await pool.evaluate({ digest, wasm, entrypoint: ENTRYPOINT, input: encoded });
    if (!outcome.ok) return blame(outcome.message);
    const findings = readFindings(outcome.result, names);
    if (!findings.ok) return blame(findings.message, findings.package);
    return { ...passed, findings: { blocking: findings.blocking, warnings: findings.warnings } };
  }

  async function compileQueued(found: Compiler, digest: string, policy: CustomPolicyKind, files: readonly RuleFile[], names: string[]): Promise<ModuleLookup> {
    const queued = slots.run(async () => {
      options.onCompile?.(digest, policy);
      return compileRego(found, { files, generated: [{ path: ENTRY_PATH, text: entryModule(names) }], entrypoints: [ENTRYPOINT] });
    });
    if (!queued)
      return {
        ok: false,
        passing: true,
        errors: [generalError("too many custom rule sets are waiting to be compiled; try again shortly (re-run the check or redeploy)")],
      };
    const compiled = await queued;
    return compiled.ok ? { ok: true, module: { digest, policy, wasm: compiled.wasm } } : compiled;
  }

  async function compile(policy: CustomPolicyKind, ruleFiles: readonly RuleFile[]): Promise<CustomRulesCompiled> {
    try {
      const prepared = await prepare(policy, ruleFiles);
      return prepared.ok ? { ok: true, digest: prepared.digest } : prepared;
    } catch (error) {
      return {
        ok: false,
        digest: ruleDigest(policy, ruleFiles, "unknown"),
        errors: [generalError(`custom rules could not be compiled: ${(error as Error).message}`)],
      };
    }
  }

  return { evaluate, compile, close: () => pool.close() };
}
