import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../../src/audit/sqlite-store.js";
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
  expect(again).toEqual(first);
  expect((await store.customRuleModules.load(first.digest))?.policy).toBe("deploy");
});

it("keeps no module for rules that fail to compile", async () => {
  const result = await started().evaluate("pullrequest", rulesOf("syntax-error"), {});

  expect(result.ok).toBe(false);
  expect(await store.customRuleModules.load(result.digest)).toBeUndefined();
});
