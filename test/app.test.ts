// The event's own client (event-client.ts) is built when its handler first asks for it: a handler that
// drops its event before any GitHub call builds none, and the event is still observed with 0 calls.
import { Probot, type Context } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { repolApp } from "../src/app.js";
import { clientForEvent } from "../src/github/event-client.js";
import { repolOctokit } from "../src/github/octokit-options.js";
import { buildRegistry } from "../src/handlers/registry.js";
import { createMetrics } from "../src/metrics/create-metrics.js";
import { deploymentPayload } from "./helpers/deployment-scenario.js";
import { gateDeps, type GateDeps } from "./helpers/gate-deps.js";
import { sampleValue } from "./helpers/prometheus-text.js";
import { TEST_APP_ID, TestOctokit, testAppPrivateKey } from "./helpers/test-probot.js";

// The real builder, counted: how many event clients each delivery cost.
vi.mock("../src/github/event-client.js", async (original) => {
  const real = await original<typeof import("../src/github/event-client.js")>();
  return { clientForEvent: vi.fn(real.clientForEvent) };
});

let gate: GateDeps;
beforeEach(async () => {
  gate = await gateDeps();
  vi.mocked(clientForEvent).mockClear();
});
afterEach(() => gate.close());

async function deliver(handler: (context: Context) => Promise<void>) {
  const metrics = createMetrics();
  const probot = new Probot({
    appId: TEST_APP_ID,
    privateKey: testAppPrivateKey(),
    secret: "s",
    logLevel: "fatal",
    Octokit: repolOctokit({ timeoutMs: 5_000, retries: 0 }, TestOctokit),
  });
  const registry = buildRegistry([["deployment_protection_rule", handler as never]]);
  await probot.load(repolApp(registry, { ...gate.deps, metrics }));
  await probot.receive({ id: "lazy", name: "deployment_protection_rule", payload: deploymentPayload() } as never);
  const text = await metrics.registry.metrics();
  const labels = { event: "deployment_protection_rule" };
  return { sum: sampleValue(text, "repol_github_calls_per_event_sum", labels), count: sampleValue(text, "repol_github_calls_per_event_count", labels) };
}

describe("the event's client", () => {
  it("is never built for a handler that drops the event without a GitHub call; the event is observed with 0 calls", async () => {
    const observed = await deliver(async () => {});
    expect(clientForEvent).not.toHaveBeenCalled();
    expect(observed).toEqual({ sum: 0, count: 1 });
  });

  it("is built once, on first use, and is the same client each time the handler asks", async () => {
    const seen: unknown[] = [];
    await deliver(async (context) => {
      seen.push(context.octokit, context.octokit);
    });
    expect(clientForEvent).toHaveBeenCalledTimes(1);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toBe(vi.mocked(clientForEvent).mock.results[0]?.value);
  });

  it("can still be replaced by the handler", async () => {
    const replacement = { replaced: true };
    let seen: unknown;
    await deliver(async (context) => {
      context.octokit = replacement as unknown as Context["octokit"];
      seen = context.octokit;
    });
    expect(seen).toBe(replacement);
  });
});
