// Compiled custom rule modules kept by the digest of their sources (src/policy/custom/rule-digest.ts),
// so a restart or another replica evaluates a repository's rules without compiling them again.
import type { CompiledModule } from "../policy/custom/compiled-modules.js";
import type { CustomPolicyKind } from "../policy/custom/custom-rule-types.js";

/** A stored row as a module; the bytes are copied out of the driver's buffer. */
export function storedModuleFrom(row: { digest: string; policy: string; wasm: Uint8Array }): CompiledModule {
  return { digest: row.digest, policy: row.policy as CustomPolicyKind, wasm: new Uint8Array(row.wasm) };
}
