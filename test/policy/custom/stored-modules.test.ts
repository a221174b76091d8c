import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../../src/audit/sqlite-store.js";
import { createCustomRules } from "../../../src/policy/custom/custom-rules.js";
import { evaluationPool } from "../../../src/policy/custom/evaluation-pool.js";
import { rulesOf, testCustomRules, type CountedRules } from "./custom-rules-fixture.js";

let dir: string;
let store: SqliteAuditStore;
const running: CountedRules[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-custom-store-"));
  store = openSqliteStore(join(dir, "audit.db"));
  await store.migrate();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((rules) => rules.close()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const started = () => {
  const rules = testCustomRules({ store: store.customRuleModules });
  running.push(rules);
  return rules;
};

it("after a restart, or on another replica, evaluates from the stored module without compiling", async () => {
  const input = { environment: "production", pull_requests: [] };
  const first = await started().evaluate("deploy", rulesOf("findings"), input);
  const restarted = started();
  const again = await restarted.evaluate("deploy", rulesOf("findings"), input);

  expect(running[0]!.compiles).toHaveLength(1);
  expect(restarted.compiles).toEqual([]);
  expect(first).toMatchObject({ ok: true, findings: { blocking: [{ package: "repol.deploy.labels" }] } });
  expect(again).toEqual(first);
  expect((await store.customRuleModules.load(first.digest))?.policy).toBe("deploy");
});

it("keeps no module for rules that fail to compile", async () => {
  const result = await started().evaluate("pullrequest", rulesOf("syntax-error"), {});

  expect(result.ok).toBe(false);
  expect(await store.customRuleModules.load(result.digest)).toBeUndefined();
});

it("compiles when the store cannot be read, reporting the store's error", async () => {
  const reported: string[] = [];
  const broken = {
    load: async () => Promise.reject(new Error("database is locked")),
    keep: async () => Promise.reject(new Error("database is locked")),
  };
  const rules = createCustomRules({
    store: broken,
    onStoreError: (error) => reported.push(error.message),
    pool: evaluationPool({ workers: 1, loadTimeoutMs: 60_000, timeoutMs: 2_000 }),
  });
  running.push(Object.assign(rules, { compiles: [] }));
  const result = await rules.evaluate("deploy", rulesOf("findings"), { environment: "production", pull_requests: [] });

  expect(result).toMatchObject({ ok: true, findings: { blocking: [{ package: "repol.deploy.labels" }] } });
  expect(reported).toEqual(["database is locked", "database is locked"]);
});

it("fails closed with the store's error when nothing handles it", async () => {
  const broken = { load: async () => Promise.reject(new Error("database is locked")), keep: async () => ({ inserted: false }) };
  const rules = createCustomRules({ store: broken, pool: evaluationPool({ workers: 1 }) });
  running.push(Object.assign(rules, { compiles: [] }));
  const result = await rules.evaluate("deploy", rulesOf("findings"), {});

  expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/store of compiled custom rules failed .*database is locked/) }] });
});
