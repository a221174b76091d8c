// POST /audit/:id/replay: a decision recorded by one repol, replayed by the next one running a
// stricter policy, over the real server, against the same SQLite store.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { auditRow } from "../audit/fixtures.js";
import { loadOpenApi } from "../helpers/openapi.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";
import { stricterDailyLimitBundle } from "../helpers/variant-policy-bundle.js";

const TOKEN = "replay-test-token";
const openapi = loadOpenApi();
// Five deployments today with a limit of five: allowed by repol's policy, refused by the stricter one.
const input = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-input", "deploy.allowed.json"), "utf8"));
input.workflow_meta.deployments_today = 5;

let store: AuditStore;
let recordedEngine: WasmPolicyEngine;
let currentEngine: WasmPolicyEngine;
let current: ServedRepol;
let recordedId: string;

const serve = (engine: WasmPolicyEngine) =>
  serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN }) } });

beforeAll(async () => {
  store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
  recordedEngine = await loadPolicyEngine(policyWasmPath());
  currentEngine = await loadPolicyEngine((await stricterDailyLimitBundle()).path);
  // The first repol keeps its bundle at start (as src/main.ts does) and records a decision.
  await store.policyBundles!.keep({ digest: recordedEngine.digest, kind: "builtin", wasm: recordedEngine.wasm });
  const before = await serve(recordedEngine);
  try {
    const response = await fetch(`${before.url}/evaluate/deploy`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(input),
    });
    recordedId = ((await response.json()) as { audit_id: string }).audit_id;
  } finally {
    await before.close();
  }
  current = await serve(currentEngine);
});

afterAll(async () => {
  await current?.close();
  await store?.close();
});

async function replay(id: string, token: string | null = TOKEN) {
  const response = await fetch(`${current.url}/audit/${id}/replay`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = await response.json();
  openapi.assertResponse("/audit/{id}/replay", "post", response.status, response.headers.get("content-type"), body);
  return { status: response.status, body: body as any };
}

describe("POST /audit/:id/replay", () => {
  it("gives the recorded decision again under the bundle that made it, loaded from the store", async () => {
    expect(recordedEngine.digest).not.toBe(currentEngine.digest);
    const { status, body } = await replay(recordedId);
    expect(status).toBe(200);
    expect(body.recorded).toEqual({ digest: recordedEngine.digest, decision: "allow", violations: [], warnings: [] });
    expect(body.under_recorded_policy).toEqual({
      digest: recordedEngine.digest,
      decision: "allow",
      violations: [],
      warnings: [],
      error: null,
      same: true,
      changes: { decision: null, violations_added: [], violations_removed: [], warnings_added: [], warnings_removed: [] },
    });
  });

  it("shows what the policy in force now would change", async () => {
    const { body } = await replay(recordedId);
    expect(body.under_current_policy).toMatchObject({
      digest: currentEngine.digest,
      decision: "deny",
      same: false,
      changes: { decision: { recorded: "allow", replayed: "deny" }, violations_added: ["rate_limit.exceeded"], violations_removed: [] },
    });
  });

  it("reports the difference when a row disagrees with its own bundle", async () => {
    const { id } = await store.insert(
      auditRow({ input, decision: "deny", violations: [{ code: "approvals.insufficient", msg: "edited" }], bundle_digest: recordedEngine.digest }),
    );
    const { body } = await replay(id);
    expect(body.under_recorded_policy).toMatchObject({
      same: false,
      changes: { decision: { recorded: "deny", replayed: "allow" }, violations_added: [], violations_removed: ["approvals.insufficient"] },
    });
  });

  it("reports warnings the record holds that its own bundle does not give", async () => {
    const warnings = [{ code: "approvals.insufficient", msg: "edited", rule: "approvals_required" }];
    const { id } = await store.insert(auditRow({ input, decision: "allow", warnings, bundle_digest: recordedEngine.digest }));
    const { body } = await replay(id);
    expect(body.recorded.warnings).toEqual(warnings);
    expect(body.under_recorded_policy).toMatchObject({
      same: false,
      warnings: [],
      changes: { decision: null, violations_added: [], violations_removed: [], warnings_added: [], warnings_removed: ["approvals.insufficient"] },
    });
  });

  it("answers 422 for a row recorded before the policy ran, saying why", async () => {
    const violations = [{ code: "config.missing", msg: ".repol/deploy.yaml was not found" }];
    const { id } = await store.insert(auditRow({ input: null, decision: "deny", violations, bundle_digest: recordedEngine.digest }));
    const { status, body } = await replay(id);
    expect(status).toBe(422);
    expect(body).toEqual({
      error: "not_replayable",
      message: expect.stringMatching(/cannot be replayed: it was recorded before the policy ran \(deny: config\.missing\)/),
    });
  });

  it("answers 409 when the row's bundle is not in the store", async () => {
    const digest = "e".repeat(64);
    const { id } = await store.insert(auditRow({ input, bundle_digest: digest }));
    const { status, body } = await replay(id);
    expect(status).toBe(409);
    expect(body.error).toBe("bundle_unavailable");
    expect(body.message).toContain(`the policy bundle sha256 ${digest} that made this decision is not in the audit store`);
  });

  it("answers 409 when the stored bundle cannot be loaded", async () => {
    const wasm = new TextEncoder().encode("not a WebAssembly module");
    const digest = createHash("sha256").update(wasm).digest("hex");
    await store.policyBundles!.keep({ digest, kind: "builtin", wasm });
    const { id } = await store.insert(auditRow({ input, bundle_digest: digest }));
    const { status, body } = await replay(id);
    expect(status).toBe(409);
    expect(body.message).toMatch(new RegExp(`Could not load the policy bundle sha256 ${digest} from the audit store`));
  });

  it("answers 404 for an unknown or malformed id", async () => {
    expect((await replay("01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);
    expect((await replay("nope")).body.message).toMatch(/26-character ULIDs/);
  });

  it("needs the bearer token", async () => {
    expect((await replay(recordedId, null)).status).toBe(401);
  });
});
