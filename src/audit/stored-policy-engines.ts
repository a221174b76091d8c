// Finds the engine for a recorded bundle digest: the running engine when it is that bundle, else the
// bundle kept in the audit store, loaded once and cached (loading compiles the WASM module).
import type { EngineLookup } from "../core/replay-decision.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { loadPolicyEngineFromBytes } from "../policy/engine.js";
import type { PolicyBundleStore } from "./policy-bundles.js";

// Each loaded bundle holds its own WASM memory; replays mostly ask for the last few releases.
const CACHED_ENGINES = 4;

export function storedPolicyEngines(bundles: PolicyBundleStore | undefined, current: PolicyEngine): (digest: string) => Promise<EngineLookup> {
  const cache = new Map<string, Promise<PolicyEngine>>();
  return async (digest) => {
    if (digest === current.digest) return { ok: true, engine: current };
    if (!bundles) return { ok: false, message: `this audit store keeps no policy bundles, so bundle sha256 ${digest} cannot be loaded` };
    let loading = cache.get(digest);
    if (!loading) {
      loading = loadStored(bundles, digest);
      cache.set(digest, loading);
      if (cache.size > CACHED_ENGINES) cache.delete(cache.keys().next().value!);
    }
    try {
      return { ok: true, engine: await loading };
    } catch (error) {
      // A bundle stored later (another replica) or a passing database failure may succeed next time.
      cache.delete(digest);
      return { ok: false, message: (error as Error).message };
    }
  };
}

async function loadStored(bundles: PolicyBundleStore, digest: string): Promise<PolicyEngine> {
  const stored = await bundles.load(digest);
  if (!stored) {
    throw new Error(
      `the policy bundle sha256 ${digest} that made this decision is not in the audit store ` +
        "(it was recorded before repol kept bundles, or by a repol that shares no store with this one)",
    );
  }
  return loadPolicyEngineFromBytes(stored.wasm, `sha256 ${digest} from the audit store`);
}
