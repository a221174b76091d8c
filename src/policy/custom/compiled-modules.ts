// Compiled modules by digest: in memory, then in the store (shared by replicas and restarts), then
// compiled. Concurrent requests for one digest share one compile. A rule author's own error is kept in
// memory too (the same sources fail the same way); a passing failure (timeout, full queue) is not.
import { CACHED_MODULES } from "./custom-rule-limits.js";
import type { CustomPolicyKind, CustomRuleError } from "./custom-rule-types.js";

export interface CompiledModule {
  digest: string;
  policy: CustomPolicyKind;
  wasm: Uint8Array;
}

/** Where compiled modules outlive the process; the audit store implements it (custom_rule_modules). */
export interface CompiledModuleStore {
  keep(module: CompiledModule): Promise<{ inserted: boolean }>;
  load(digest: string): Promise<CompiledModule | undefined>;
}

export type ModuleLookup = { ok: true; module: CompiledModule } | { ok: false; errors: CustomRuleError[]; passing?: boolean };

export interface CompiledModules {
  get(digest: string, compile: () => Promise<ModuleLookup>): Promise<ModuleLookup>;
}

export function compiledModules(store: CompiledModuleStore | undefined, onStoreError: (error: Error, digest: string) => void): CompiledModules {
  const known = new Map<string, ModuleLookup>();
  const pending = new Map<string, Promise<ModuleLookup>>();

  const remember = (digest: string, lookup: ModuleLookup) => {
    known.delete(digest);
    known.set(digest, lookup);
    if (known.size > CACHED_MODULES) known.delete(known.keys().next().value!);
  };

  async function find(digest: string, compile: () => Promise<ModuleLookup>): Promise<ModuleLookup> {
    const stored = await store?.load(digest).catch((error: Error) => {
      onStoreError(error, digest);
      return undefined;
    });
    if (stored) return { ok: true, module: stored };
    const compiled = await compile();
    if (compiled.ok) await store?.keep(compiled.module).catch((error: Error) => void onStoreError(error, digest));
    return compiled;
  }

  return {
    get(digest, compile) {
      const hit = known.get(digest);
      if (hit) {
        remember(digest, hit);
        return Promise.resolve(hit);
      }
      let shared = pending.get(digest);
      if (!shared) {
        shared = find(digest, compile).then((lookup) => {
          if (lookup.ok || !lookup.passing) remember(digest, lookup);
          return lookup;
        });
        const settled = () => pending.delete(digest);
        shared.then(settled, settled);
        pending.set(digest, shared);
      }
      return shared;
    },
  };
}
