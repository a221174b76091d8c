// repol replay --audit-id: a decision recorded under a stricter daily limit, replayed from the
// SQLite store by the CLI with repol's own bundle as the current one.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildAuditRecord } from "../../src/audit/build-audit-record.js";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import { evaluateInput } from "../../src/core/evaluate-input.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { auditRow } from "../audit/fixtures.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";
import { stricterDailyLimitBundle } from "../helpers/variant-policy-bundle.js";
import { runRepol } from "./run-repol.js";

const dir = mkdtempSync(join(tmpdir(), "repol-replay-audit-"));
const dbPath = join(dir, "audit.db");
const input = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-input", "deploy.allowed.json"), "utf8"));
input.workflow_meta.deployments_today = 5;
let recordedId: string;
let unreplayableId: string;
let recordedDigest: string;

beforeAll(async () => {
  const engine = await loadPolicyEngine((await stricterDailyLimitBundle()).path);
  recordedDigest = engine.digest;
  const store = await openAuditStore({ databaseUrl: null, auditDbPath: dbPath });
  try {
    await store.policyBundles!.keep({ digest: engine.digest, kind: "builtin", wasm: engine.wasm });
    const verdict = evaluateInput(engine, "deploy", input);
    const subject = { ...auditRow(), delivery_id: "d-1" };
    recordedId = (await store.insert(buildAuditRecord(subject, verdict, { bundleDigest: engine.digest, durationMs: 1, effect: { kind: "none", ok: true } })))
      .id;
    const missing = [{ code: "config.missing", msg: ".repol/deploy.yaml was not found" }];
    unreplayableId = (await store.insert(auditRow({ input: null, decision: "deny", violations: missing, bundle_digest: engine.digest }))).id;
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const replay = (args: string[], env: NodeJS.ProcessEnv = { AUDIT_DB_PATH: dbPath }) => runRepol(["replay", ...args, "--bundle", policyWasmPath()], { env });

describe.concurrent("repol replay --audit-id", () => {
  it("gives the recorded decision under the stored bundle and shows what the current one changes", async ({ expect }) => {
    const run = await replay(["--audit-id", recordedId, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.recorded).toMatchObject({ digest: recordedDigest, decision: "deny" });
    expect(body.under_recorded_policy).toMatchObject({ digest: recordedDigest, decision: "deny", same: true });
    expect(body.under_current_policy).toMatchObject({
      decision: "allow",
      same: false,
      changes: { decision: { recorded: "deny", replayed: "allow" }, violations_added: [], violations_removed: ["rate_limit.exceeded"] },
    });
  });

  it("says the same in text", async ({ expect }) => {
    const run = await replay(["--audit-id", recordedId]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      `audit ${recordedId} (deploy): recorded deny (rate_limit.exceeded) under sha256 ${recordedDigest.slice(0, 12)}`,
      `  under the recorded policy sha256 ${recordedDigest.slice(0, 12)}: deny (rate_limit.exceeded) — same decision`,
      expect.stringMatching(/^ {2}under the current policy sha256 [0-9a-f]{12}: allow — would change: deny → allow; removes rate_limit\.exceeded$/),
    ]);
  });

  it("exits 1 saying why a row recorded before the policy ran cannot be replayed", async ({ expect }) => {
    const run = await replay(["--audit-id", unreplayableId]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot be replayed: it was recorded before the policy ran \(deny: config\.missing\)/);
  });

  it("exits 1 for an id the store does not hold", async ({ expect }) => {
    const run = await replay(["--audit-id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no audit record with "01ARZ3NDEKTSV4RRFFQ69G5FAV" in AUDIT_DB_PATH');
  });

  it("refuses to create a store that does not exist", async ({ expect }) => {
    const run = await replay(["--audit-id", recordedId], { AUDIT_DB_PATH: join(dir, "nowhere", "audit.db") });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no audit store at .*nowhere\/audit\.db; set AUDIT_DB_PATH/);
  });

  it("refuses a webhook file alongside --audit-id", async ({ expect }) => {
    const run = await replay(["webhook.json", "--audit-id", recordedId]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--audit-id replays a stored decision on its stored input/);
  });
});
