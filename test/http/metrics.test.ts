import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { NewAuditRecord } from "../../src/audit/record.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import type { AppDeps } from "../../src/handlers/types.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { eventually } from "../helpers/eventually.js";
import { sampleValue } from "../helpers/prometheus-text.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";

let repol: ServedRepol;
let store: AuditStore;
let deps: AppDeps;

async function scrape(): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${repol.url}/metrics`);
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

beforeAll(async () => {
  store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
  deps = { engine: await loadPolicyEngine(policyWasmPath()), store, settings: loadSettings({}) };
  const registry = buildRegistry([
    ["issues.opened", async () => undefined],
    [
      "issues.closed",
      async () => {
        throw new Error("handler blew up");
      },
    ],
    // A handler that evaluates a policy and records the decision, as the real ones do, so decisions show up too.
    [
      "issues.labeled",
      async (context, handlerDeps) => {
        const decision = handlerDeps.engine.evaluate("deploy", { environment: "production" });
        await handlerDeps.store.insert(decisionRow(context.id, decision.allow ? "allow" : "deny"));
      },
    ],
    // Evaluates twice for one decision: counted once.
    [
      "issues.unlabeled",
      async (context, handlerDeps) => {
        handlerDeps.engine.evaluate("deploy", { environment: "production" });
        const decision = handlerDeps.engine.evaluate("deploy", { environment: "production" });
        await handlerDeps.store.insert(decisionRow(context.id, decision.allow ? "allow" : "deny"));
      },
    ],
  ]);
  repol = await serveRepol({ registry, deps });
});

afterAll(async () => {
  await repol?.close();
  await store?.close();
});

describe("GET /metrics", () => {
  it("answers in the Prometheus text format without a token", async () => {
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain("# TYPE repol_webhook_events_total counter");
    expect(text).toContain("# TYPE repol_policy_evaluation_seconds histogram");
    expect(text).toContain("# TYPE repol_github_requests_total counter");
    expect(text).toContain("repol_process_resident_memory_bytes");
  });

  it("exposes exactly the metrics docs/deploy.md documents", async () => {
    const { text } = await scrape();
    const exposed = [...text.matchAll(/^# TYPE (\S+) \S+$/gm)].map((match) => match[1]!);
    const table = readFileSync(fileURLToPath(new URL("../../docs/deploy.md", import.meta.url)), "utf8");
    const documented = [...table.matchAll(/^\| `(repol_[a-z_]+)` \|/gm)].map((match) => match[1]!);
    const families = [...table.matchAll(/`(repol_[a-z]+_)\*`/g)].map((match) => match[1]!);
    expect(families).toEqual(["repol_process_", "repol_nodejs_"]);
    const own = exposed.filter((name) => !families.some((family) => name.startsWith(family)));
    expect(own).toContain("repol_outbox_effects");
    expect([...documented].sort()).toEqual([...own].sort());
  });

  it.each([
    { action: "opened", outcome: "handled" },
    { action: "closed", outcome: "error" },
    { action: "reopened", outcome: "ignored" },
  ])("counts an issues.$action delivery as $outcome", async ({ action, outcome }) => {
    const labels = { event: "issues", action, outcome };
    const before = sampleValue((await scrape()).text, "repol_webhook_events_total", labels);
    // Accepted at once; the handler runs after the answer.
    expect((await repol.deliver("issues", { action, installation: { id: 1 } })).status).toBe(202);
    const after = await eventually("the event to be counted", async () => {
      const value = sampleValue((await scrape()).text, "repol_webhook_events_total", labels);
      return value > before ? value : 0;
    });
    expect(after - before).toBe(1);
  });

  it("does not count a delivery whose signature is wrong", async () => {
    const labels = { event: "issues", action: "opened" };
    const before = sampleValue((await scrape()).text, "repol_webhook_events_total", labels);
    const response = await fetch(`${repol.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": "forged-1",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body: JSON.stringify({ action: "opened" }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(sampleValue((await scrape()).text, "repol_webhook_events_total", labels)).toBe(before);
  });

  it("counts the decision and times the evaluation of a handled event", async () => {
    const before = await scrape();
    const deniedBefore = sampleValue(before.text, "repol_decisions_total", { policy: "deploy", result: "deny" });
    const timedBefore = sampleValue(before.text, "repol_policy_evaluation_seconds_count", { policy: "deploy" });
    expect((await repol.deliver("issues", { action: "labeled", installation: { id: 1 } })).status).toBe(202);
    const after = await eventually("the evaluation to be timed", async () => {
      const scraped = await scrape();
      return sampleValue(scraped.text, "repol_policy_evaluation_seconds_count", { policy: "deploy" }) > timedBefore ? scraped : undefined;
    });
    expect(sampleValue(after.text, "repol_decisions_total", { policy: "deploy", result: "deny" }) - deniedBefore).toBe(1);
    expect(sampleValue(after.text, "repol_policy_evaluation_seconds_count", { policy: "deploy" }) - timedBefore).toBe(1);
  });

  it("counts a decision once however often its policy was evaluated, and not again when the delivery comes back", async () => {
    const denied = async () => sampleValue((await scrape()).text, "repol_decisions_total", { policy: "deploy", result: "deny" });
    const before = await denied();
    const handled = async () => sampleValue((await scrape()).text, "repol_webhook_events_total", { event: "issues", action: "unlabeled", outcome: "handled" });
    const handledBefore = await handled();
    expect((await repol.deliver("issues", { action: "unlabeled", installation: { id: 1 } }, "twice-evaluated")).status).toBe(202);
    await eventually("the delivery to be handled", async () => (await handled()) > handledBefore);
    // GitHub redelivers it (as after a failure): handled again, the same decision, nothing new to count.
    await deps.store.deliveries!.markFailed("twice-evaluated", "failed for good, then redelivered", null);
    expect((await repol.deliver("issues", { action: "unlabeled", installation: { id: 1 } }, "twice-evaluated")).status).toBe(202);
    await eventually("the redelivery to be handled", async () => (await handled()) > handledBefore + 1);
    expect((await denied()) - before).toBe(1);
  });
});

function decisionRow(deliveryId: string, decision: "allow" | "deny"): NewAuditRecord {
  return {
    delivery_id: deliveryId,
    event: "issues",
    action: "labeled",
    policy: "deploy",
    decision,
    repository: "acme/widgets",
    installation_id: 1,
    environment: "production",
    ref: null,
    sha: null,
    pr_number: null,
    actor: null,
    violations: [],
    warnings: [],
    input: {},
    bundle_digest: null,
    config_sha: null,
    duration_ms: 1,
    effect: { kind: "none", ok: true },
    error: null,
  };
}
