// docs/openapi.yaml describes every route repol's server registers (and none it does not), and the
// routes outside /audit answer as it says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { loadOpenApi } from "../helpers/openapi.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const TOKEN = "openapi-test-token-0123456789";
const openapi = loadOpenApi();
let store: AuditStore;
let repol: ServedRepol;
let url: string;

beforeAll(async () => {
  store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
  const engine = await loadPolicyEngine(policyWasmPath());
  repol = await serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN }) }, drainMs: 1000 });
  url = repol.url;
});
afterAll(async () => {
  await repol.close();
  await store.close();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** "METHOD /path/{param}" for every route in express's router, mounted routers included. */
function routesOf(stack: Layer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path}`.replace(/(.)\/$/, "$1").replace(/:(\w+)/g, "{$1}");
      return Object.keys(layer.route.methods)
        .filter((method) => method !== "_all")
        .map((method) => `${method.toUpperCase()} ${path}`);
    }
    if (layer.handle?.stack) return routesOf(layer.handle.stack, prefix + (typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : ""));
    return [];
  });
}

describe("docs/openapi.yaml", () => {
  it("documents exactly the routes the server registers", () => {
    const registered = routesOf((repol.app as unknown as { router: { stack: Layer[] } }).router.stack).sort();
    const documented = Object.entries(openapi.doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    // Guards against the walk silently finding nothing if express's internals change.
    expect(registered).toEqual(expect.arrayContaining(["GET /health", "GET /audit/{id}", "POST /api/github/webhooks"]));
    expect(registered).toEqual(documented);
  });

  it.each([
    ["/health", 200],
    ["/ready", 200],
    ["/metrics", 200],
  ])("describes GET %s as it answers", async (path, status) => {
    const response = await fetch(`${url}${path}`);
    const body = response.headers.get("content-type")?.startsWith("application/json") ? await response.json() : await response.text();
    expect(response.status).toBe(status);
    openapi.assertResponse(path, "get", status, response.headers.get("content-type"), body);
  });

  it.each([
    ["a deployment input", "deploy", {}, 200],
    ["an unknown policy", "nope", {}, 404],
    ["a body that is not an object", "deploy", [], 400],
  ])("describes POST /evaluate/{policy} for %s", async (_label, policy, input, status) => {
    const response = await fetch(`${url}/evaluate/${policy}?dry_run=true`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(response.status).toBe(status);
    openapi.assertResponse("/evaluate/{policy}", "post", status, response.headers.get("content-type"), await response.json());
  });

  it("describes the webhook route's answers to a stored, a repeated and a forged delivery", async () => {
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "issues", { action: "opened" });
    const post = (headers: Record<string, string>) => fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body: delivery.body });
    for (const [headers, status] of [
      [delivery.headers, 202],
      [delivery.headers, 200],
      [{ ...delivery.headers, "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, 400],
    ] as const) {
      const response = await post(headers);
      expect(response.status).toBe(status);
      openapi.assertResponse("/api/github/webhooks", "post", status, response.headers.get("content-type"), await response.json());
    }
  });
});
