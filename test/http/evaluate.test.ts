import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";

const TOKEN = "evaluate-test-token";
const fixture = (name: string) => JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-input", name), "utf8"));

let engine: PolicyEngine;
let store: AuditStore;
let repol: ServedRepol;

beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
  store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
  repol = await serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN }) } });
});

afterAll(async () => {
  await repol?.close();
  await store?.close();
});

async function evaluate(path: string, body: unknown, init: { token?: string | null; contentType?: string } = {}) {
  const { token = TOKEN, contentType = "application/json" } = init;
  const response = await fetch(`${repol.url}${path}`, {
    method: "POST",
    headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("POST /evaluate/:policy", () => {
  it.each([
    ["deploy", "deploy.allowed.json", true],
    ["deploy", "deploy.denied.json", false],
    ["pullrequest", "pullrequest.allowed.json", true],
  ])("evaluates %s input %s to allow=%s, as the engine does", async (policy, file, allow) => {
    const input = fixture(file);
    const { status, body } = await evaluate(`/evaluate/${policy}`, input);
    expect(status).toBe(200);
    const expected = engine.evaluate(policy as "deploy" | "pullrequest", input);
    expect(body).toMatchObject({ policy, allow, deny: expected.deny, violations: expected.violations });
    expect(body.allow).toBe(allow);
  });

  it("reports each failed rule of a denied deployment", async () => {
    const { body } = await evaluate("/evaluate/deploy", fixture("deploy.denied.json"));
    expect(body.violations.map((violation: { code: string }) => violation.code)).toEqual(["approvals.insufficient", "ref.denied"]);
    expect(body.deny).toContain("Branch feature/login may not deploy to production (allowed_branches: main)");
  });

  it("writes an audit row for the evaluation, with the input and without a delivery", async () => {
    const input = fixture("deploy.denied.json");
    const { body } = await evaluate("/evaluate/deploy", input);
    expect(body.audit_id).toEqual(expect.any(String));
    const row = await store.get(body.audit_id);
    expect(row).toMatchObject({
      event: "api",
      delivery_id: null,
      policy: "deploy",
      decision: "deny",
      environment: "production",
      ref: "refs/heads/feature/login",
      input,
      bundle_digest: engine.digest,
      error: null,
    });
    expect(row!.violations.map((violation) => violation.code)).toEqual(["approvals.insufficient", "ref.denied"]);
  });

  it("labels a pull request evaluation's row with its base branch, and no repository, so it never counts as a deployment", async () => {
    const { body } = await evaluate("/evaluate/pullrequest", fixture("pullrequest.allowed.json"));
    expect(await store.get(body.audit_id)).toMatchObject({
      policy: "pullrequest",
      decision: "allow",
      ref: "refs/heads/main",
      environment: null,
      repository: null,
    });
  });

  it("writes nothing with dry_run=true", async () => {
    const before = await store.count({});
    const { status, body } = await evaluate("/evaluate/deploy?dry_run=true", fixture("deploy.allowed.json"));
    expect(status).toBe(200);
    expect(body).toMatchObject({ allow: true, dry_run: true, audit_id: null });
    expect(await store.count({})).toBe(before);
  });

  it("writes a row with dry_run=false", async () => {
    const before = await store.count({ decision: "allow" });
    const { body } = await evaluate("/evaluate/deploy?dry_run=false", fixture("deploy.allowed.json"));
    expect(body.dry_run).toBe(false);
    expect(await store.count({ decision: "allow" })).toBe(before + 1);
  });

  it("denies, never allows, an input the policy cannot make sense of", async () => {
    const { status, body } = await evaluate("/evaluate/deploy?dry_run=true", { environment: 42 });
    expect(status).toBe(200);
    expect(body.allow).toBe(false);
    expect(body.violations.length).toBeGreaterThan(0);
  });

  it.each([
    ["a JSON array", "[1,2]", "application/json"],
    ["a JSON string", '"deploy"', "application/json"],
    ["JSON null", "null", "application/json"],
    ["a form body", "environment=production", "application/x-www-form-urlencoded"],
  ])("answers 400 to %s", async (_what, raw, contentType) => {
    const before = await store.count({});
    const { status, body } = await evaluate("/evaluate/deploy", raw, { contentType });
    expect(status).toBe(400);
    expect(body.error).toBe("bad_request");
    expect(await store.count({})).toBe(before);
  });

  it("answers 400 with a JSON error to malformed JSON", async () => {
    const { status, body } = await evaluate("/evaluate/deploy", '{"environment": ', {});
    expect(status).toBe(400);
    expect(body.error).toBe("bad_request");
  });

  it("answers 400 to a dry_run that is neither true nor false", async () => {
    const { status, body } = await evaluate("/evaluate/deploy?dry_run=yes", fixture("deploy.allowed.json"));
    expect(status).toBe(400);
    expect(body.message).toMatch(/dry_run/);
  });

  it("answers 404 to a policy that does not exist", async () => {
    const { status, body } = await evaluate("/evaluate/merge", {});
    expect(status).toBe(404);
    expect(body.error).toBe("unknown_policy");
  });

  it.each([
    ["no token", null],
    ["a wrong token", "not-the-token"],
  ])("answers 401 to a request with %s, before reading the body", async (_what, token) => {
    const before = await store.count({});
    const { status, body } = await evaluate("/evaluate/deploy", fixture("deploy.allowed.json"), { token });
    expect(status).toBe(401);
    expect(body.error).toBe("unauthorized");
    expect(body).not.toHaveProperty("allow");
    expect(await store.count({})).toBe(before);
  });
});

describe("POST /evaluate without AUDIT_API_TOKEN", () => {
  it("answers 503: the API is off, not open", async () => {
    const offStore = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
    const off = await serveRepol({ registry: buildRegistry([]), deps: { engine, store: offStore, settings: loadSettings({}) } });
    try {
      const response = await fetch(`${off.url}/evaluate/deploy`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(fixture("deploy.allowed.json")),
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toBe("api_disabled");
    } finally {
      await off.close();
      await offStore.close();
    }
  });
});

describe("POST /evaluate when the audit store is down", () => {
  it("answers 503 instead of a verdict it could not record, and still serves dry runs", async () => {
    const downStore = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
    const down = await serveRepol({ registry: buildRegistry([]), deps: { engine, store: downStore, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN }) } });
    await downStore.close();
    try {
      const post = (query: string) =>
        fetch(`${down.url}/evaluate/deploy${query}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(fixture("deploy.allowed.json")),
        });
      const recorded = await post("");
      expect(recorded.status).toBe(503);
      const body = (await recorded.json()) as Record<string, unknown>;
      expect(body.error).toBe("audit_unavailable");
      expect(body).not.toHaveProperty("allow");
      const dry = await post("?dry_run=true");
      expect(dry.status).toBe(200);
      expect(((await dry.json()) as { allow: boolean }).allow).toBe(true);
    } finally {
      await down.close();
    }
  });
});

describe("POST /evaluate when the engine cannot evaluate the input", () => {
  it("answers 500 without a verdict and records an error row, never an allow", async () => {
    // A 1 MiB WASM heap cannot hold a 700 kB input: a real evaluation failure.
    const cramped = await loadPolicyEngine(policyWasmPath(), { maxMemoryMiB: 1 });
    const errorStore = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
    const failing = await serveRepol({
      registry: buildRegistry([]),
      deps: { engine: cramped, store: errorStore, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN }) },
    });
    try {
      const input = { ...fixture("deploy.allowed.json"), padding: "x".repeat(700_000) };
      const post = (query: string) =>
        fetch(`${failing.url}/evaluate/deploy${query}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(input),
        });
      const dry = await post("?dry_run=true");
      expect(dry.status).toBe(500);
      expect(await errorStore.count({})).toBe(0);

      const response = await post("");
      const body = (await response.json()) as Record<string, unknown>;
      expect(response.status).toBe(500);
      expect(body).toMatchObject({ error: "evaluation_failed" });
      expect(body).not.toHaveProperty("allow");
      const row = await errorStore.get(body.audit_id as string);
      expect(row).toMatchObject({ event: "api", decision: "error", violations: [] });
      expect(row!.error).toMatch(/github\/deploy\/result failed/);
    } finally {
      await failing.close();
      await errorStore.close();
    }
  });
});
