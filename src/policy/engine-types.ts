import type { PolicyName } from "../domain/policy-name.js";
import type { PolicyResult } from "../domain/verdict.js";

/** The compiled policy bundle, loaded once at start. */
export interface PolicyEngine {
  /** sha256 (hex) of the compiled WASM, recorded with every decision. */
  readonly digest: string;
  /** Evaluates `result` of `github.<policy>` (its allow, deny and violations) once. Throws Error on evaluation failure. */
  evaluate(policy: PolicyName, input: unknown): PolicyResult;
}
