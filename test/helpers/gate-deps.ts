// Real dependencies for deployment gate tests: the compiled WASM policy bundle and a SQLite audit
// store in a fresh temporary directory.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock } from "../../src/durability/clock.js";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import type { NewAuditRecord } from "../../src/audit/record.js";
import type { AuditStore } from "../../src/audit/store.js";
import type { AppDeps } from "../../src/handlers/types.js";
import type { EvaluationPoolOptions } from "../../src/policy/custom/evaluation-pool.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { testCustomRules, type CountedRules } from "./test-custom-rules.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const POLICY_WASM = join(root, "build", "policies", "policy.wasm");

/** `npm test` builds the bundle first; a test file run on its own builds it when it is missing. */
export function ensurePolicyBundle(): string {
  if (!existsSync(POLICY_WASM)) execFileSync(process.execPath, [join(root, "scripts", "build-policies.mjs")], { cwd: root, stdio: "inherit" });
  return POLICY_WASM;
}

export interface GateDeps {
  deps: AppDeps;
  store: AuditStore;
  dbPath: string;
  /** The custom rules engine in deps, over the store's compiled modules; `compiles` counts its `opa` runs. */
  customRules: CountedRules;
  /** Inserts a row as if it had been written at `at` (for deployments_today). */
  insertAt(at: Date, row: Partial<NewAuditRecord>): Promise<void>;
  close(): Promise<void>;
}

/** `clock`: the store's clock and the time deployments are judged at, for tests that move time by hand (the same one the server's timers use). */
export interface GateDepsOptions {
  clock?: () => Date;
  /** The custom rules' evaluation workers (e.g. a longer time limit); test-custom-rules.ts's defaults unless given. */
  customRulesPool?: EvaluationPoolOptions;
}

export async function gateDeps(env: NodeJS.ProcessEnv = {}, { clock, customRulesPool }: GateDepsOptions = {}): Promise<GateDeps> {
  const dir = mkdtempSync(join(tmpdir(), "repol-gate-"));
  const dbPath = join(dir, "audit.db");
  const settings = loadSettings({ AUDIT_DB_PATH: dbPath, POLICY_WASM_PATH: ensurePolicyBundle(), ...env });
  const engine = await loadPolicyEngine(settings.policyWasmPath);
  const store = clock ? openSqliteStore(dbPath, { clock }) : await openAuditStore(settings);
  if (clock) await store.migrate();
  const customRules = testCustomRules({ store: store.customRuleModules, pool: customRulesPool });
  return {
    deps: { engine, store, settings, customRules, ...(clock ? { clock: { ...systemClock, now: clock } } : {}) },
    store,
    dbPath,
    customRules,
    async insertAt(at, row) {
      const writer = openSqliteStore(dbPath, { clock: () => at });
      try {
        await writer.insert({ ...emptyRow(), ...row });
      } finally {
        await writer.close();
      }
    },
    async close() {
      await customRules.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function emptyRow(): NewAuditRecord {
  return {
    delivery_id: null,
    event: "deployment_protection_rule",
    action: "requested",
    policy: "deploy",
    decision: "allow",
    repository: "acme/widgets",
    installation_id: 52345678,
    environment: "production",
    ref: "refs/heads/main",
    sha: "3f786850e387550fdab836ed7e6dc881de23001b",
    pr_number: null,
    actor: "carol",
    violations: [],
    warnings: [],
    input: {},
    bundle_digest: null,
    config_sha: null,
    duration_ms: 5,
    effect: { kind: "deployment_callback", ok: true, status: 204 },
    error: null,
  };
}
