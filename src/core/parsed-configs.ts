// Parsing a policy file (YAML with positions, the schema, the checks across entries) costs more CPU than
// the rest of reading a decision's facts, and every event of a repository reads the same file again.
// Results are kept by the file's blob SHA and name, and a kept one is used only for exactly the same
// bytes, so it can never be stale (not even with a recording or a fake that reuses a SHA); it is handed
// out as a copy, so no decision can change what another one is given.
import type { PolicyName } from "../domain/policy-name.js";
import { parseRepoConfig, type ConfigResult, type DeployConfig, type PullRequestConfig } from "../policy/load-repo-config.js";

type ParseResult = ConfigResult<DeployConfig | PullRequestConfig>;

export interface ParsedConfigs {
  /** parseRepoConfig(policy, text, file), kept for the next decision reading the same file. */
  parse(policy: PolicyName, text: string | Uint8Array, file: string, sha: string): ParseResult;
  readonly size: number;
}

/** Files kept: beyond this the least recently used is dropped (a parsed policy is a few KiB). */
export const KEPT_CONFIGS = 1_000;

export function parsedConfigs(max = KEPT_CONFIGS): ParsedConfigs {
  const kept = new Map<string, { text: string | Uint8Array; result: ParseResult }>();
  return {
    parse(policy, text, file, sha) {
      const key = `${policy}\n${file}\n${sha}`;
      const hit = kept.get(key);
      if (hit && sameBytes(hit.text, text)) {
        // Map order is insertion order: moving the entry to the end keeps the least recently used first.
        kept.delete(key);
        kept.set(key, hit);
        return copyOf(hit.result);
      }
      const result = parseRepoConfig(policy, text, file);
      // A copy of the bytes: `text` may be a view into a larger response buffer.
      kept.set(key, { text: typeof text === "string" ? text : text.slice(), result: copyOf(result) });
      if (kept.size > max) kept.delete(kept.keys().next().value!);
      return result;
    },
    get size() {
      return kept.size;
    },
  };
}

function sameBytes(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * A deep copy of parsed YAML, which is plain data (objects, arrays, strings, numbers, booleans, null):
 * several times cheaper than structuredClone for a policy's few hundred values.
 */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    // defineProperty, not assignment: a YAML key "__proto__" stays a key and sets no prototype.
    Object.defineProperty(copy, key, { value: copyOf((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return copy as T;
}
