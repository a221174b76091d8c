// Compiled policy bundles kept by digest, so a recorded decision can be evaluated again under the
// very policy that made it, even after repol has been upgraded. A bundle is never deleted: rows
// only name it by digest, and one bundle per release is small next to the rows that use it.
import { createHash } from "node:crypto";

/** "builtin" is repol's own bundle; custom rule bundles (one per repository) will be kept the same way. */
export type PolicyBundleKind = "builtin" | "custom";

export interface PolicyBundle {
  /** sha256 (hex) of `wasm`: the `bundle_digest` audit rows record. */
  digest: string;
  kind: PolicyBundleKind;
  wasm: Uint8Array;
}

export interface StoredPolicyBundle extends PolicyBundle {
  created_at: string; // ISO 8601 UTC, when this store first saw it
}

export interface PolicyBundleStore {
  /** Stores the bundle unless one with its digest is already there; `inserted` says which. */
  keep(bundle: PolicyBundle): Promise<{ inserted: boolean }>;
  load(digest: string): Promise<StoredPolicyBundle | undefined>;
}

/** Refuses a bundle whose digest is not that of its bytes: it would be replayed as another policy. */
export function assertDigestMatches(bundle: PolicyBundle): void {
  const actual = createHash("sha256").update(bundle.wasm).digest("hex");
  if (actual !== bundle.digest) throw new Error(`policy bundle labelled sha256 ${bundle.digest} has sha256 ${actual}; it was not stored`);
}

/** A stored row as a bundle, with the time normalised (PostgreSQL gives a Date, SQLite text). */
export function storedBundleFrom(row: { digest: string; kind: string; wasm: Uint8Array; created_at: unknown }): StoredPolicyBundle {
  const created = row.created_at;
  return {
    digest: row.digest,
    kind: row.kind as PolicyBundleKind,
    wasm: new Uint8Array(row.wasm),
    created_at: created instanceof Date ? created.toISOString() : String(created),
  };
}
