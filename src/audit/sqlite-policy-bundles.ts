// The policy_bundles table in the SQLite store (see policy-bundles.ts).
import type Database from "better-sqlite3";
import type { GroupCommit } from "../durability/sqlite-group-commit.js";
import { assertDigestMatches, storedBundleFrom, type PolicyBundleStore } from "./policy-bundles.js";

export function sqlitePolicyBundles(db: Database.Database, clock: () => Date, group: GroupCommit): PolicyBundleStore {
  return {
    async keep(bundle) {
      assertDigestMatches(bundle);
      const { changes } = await group.write(() =>
        db
          .prepare("INSERT INTO policy_bundles (digest, kind, wasm, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING")
          .run(bundle.digest, bundle.kind, Buffer.from(bundle.wasm), clock().toISOString()),
      );
      return { inserted: changes === 1 };
    },
    async load(digest) {
      const row = db.prepare("SELECT digest, kind, wasm, created_at FROM policy_bundles WHERE digest = ?").get(digest);
      return row ? storedBundleFrom(row as Parameters<typeof storedBundleFrom>[0]) : undefined;
    },
  };
}
