// The policy_bundles table in the PostgreSQL store (see policy-bundles.ts).
import type pg from "pg";
import { assertDigestMatches, storedBundleFrom, type PolicyBundleStore } from "./policy-bundles.js";

export function postgresPolicyBundles(pool: pg.Pool, clock: () => Date): PolicyBundleStore {
  return {
    async keep(bundle) {
      assertDigestMatches(bundle);
      // Replicas starting together with the same bundle race here; ON CONFLICT lets one win quietly.
      const { rowCount } = await pool.query(
        "INSERT INTO policy_bundles (digest, kind, wasm, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
        [bundle.digest, bundle.kind, Buffer.from(bundle.wasm), clock()],
      );
      return { inserted: rowCount === 1 };
    },
    async load(digest) {
      const { rows } = await pool.query("SELECT digest, kind, wasm, created_at FROM policy_bundles WHERE digest = $1", [digest]);
      return rows[0] ? storedBundleFrom(rows[0]) : undefined;
    },
  };
}
