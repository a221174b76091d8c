// The custom_rule_modules table in the SQLite store (see custom-rule-modules.ts).
import type Database from "better-sqlite3";
import type { GroupCommit } from "../durability/sqlite-group-commit.js";
import type { CompiledModuleStore } from "../policy/custom/compiled-modules.js";
import { storedModuleFrom } from "./custom-rule-modules.js";

export function sqliteCustomRuleModules(db: Database.Database, clock: () => Date, group: GroupCommit): CompiledModuleStore {
  return {
    async keep(module) {
      const { changes } = await group.write(() =>
        db
          .prepare("INSERT INTO custom_rule_modules (digest, policy, wasm, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING")
          .run(module.digest, module.policy, Buffer.from(module.wasm), clock().toISOString()),
      );
      return { inserted: changes === 1 };
    },
    async load(digest) {
      const row = db.prepare("SELECT digest, policy, wasm FROM custom_rule_modules WHERE digest = ?").get(digest);
      return row ? storedModuleFrom(row as Parameters<typeof storedModuleFrom>[0]) : undefined;
    },
  };
}
