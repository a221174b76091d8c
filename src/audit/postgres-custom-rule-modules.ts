// The custom_rule_modules table in the PostgreSQL store (see custom-rule-modules.ts).
import type pg from "pg";
import type { CompiledModuleStore } from "../policy/custom/compiled-modules.js";
import { storedModuleFrom } from "./custom-rule-modules.js";

export function postgresCustomRuleModules(pool: pg.Pool, clock: () => Date): CompiledModuleStore {
  return {
    async keep(module) {
      // Replicas compiling the same sources together race here; ON CONFLICT lets one win quietly.
      const { rowCount } = await pool.query(
        "INSERT INTO custom_rule_modules (digest, policy, wasm, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
        [module.digest, module.policy, Buffer.from(module.wasm), clock()],
      );
      return { inserted: rowCount === 1 };
    },
    async load(digest) {
      const { rows } = await pool.query("SELECT digest, policy, wasm FROM custom_rule_modules WHERE digest = $1", [digest]);
      return rows[0] ? storedModuleFrom(rows[0]) : undefined;
    },
  };
}
