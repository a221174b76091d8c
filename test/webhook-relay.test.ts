// A delivery relayed from a smee-like channel (a local server-sent-events stream) reaches repol's
// webhook endpoint with GitHub's headers and signature intact.
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../src/audit/open-audit-store.js";
import type { AuditStore } from "../src/audit/store.js";
import { buildRegistry } from "../src/handlers/registry.js";
import { loadPolicyEngine } from "../src/policy/engine.js";
import { WEBHOOK_PATH } from "../src/server.js";
import { loadSettings } from "../src/settings.js";
import { localWebhookUrl, startWebhookRelay, type WebhookRelay } from "../src/webhook-relay.js";
import { policyWasmPath } from "./helpers/policy-bundle.js";
import { serveRepol, WEBHOOK_SECRET, type RunningRepol } from "./helpers/serve-repol.js";

let channel: Server;
let channelUrl: string;
const listeners: ServerResponse[] = [];
let repol: RunningRepol;
let store: AuditStore;
let relay: WebhookRelay;
const handled: { delivery: string; action: string }[] = [];
const logged: string[] = [];

function publish(message: Record<string, unknown>): void {
  for (const listener of listeners) listener.write(`data: ${JSON.stringify(message)}\n\n`);
}

beforeAll(async () => {
  channel = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write(": connected\n\n");
    listeners.push(res);
  });
  await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
  channelUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/repol-dev`;

  store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
  const registry = buildRegistry([
    [
      "issues.opened",
      async (context) => {
        handled.push({ delivery: context.id, action: (context.payload as { action: string }).action });
      },
    ],
  ]);
  repol = await serveRepol(registry, { engine: await loadPolicyEngine(policyWasmPath()), store, settings: loadSettings({}) });
  const { port } = new URL(repol.url);
  relay = await startWebhookRelay({
    source: channelUrl,
    target: localWebhookUrl("0.0.0.0", Number(port), WEBHOOK_PATH),
    log: { info: (message) => logged.push(message), error: (message) => logged.push(message) },
  });
});

afterAll(async () => {
  await relay?.stop();
  listeners.forEach((listener) => listener.end());
  await new Promise((resolve) => channel?.close(resolve));
  await repol?.close();
  await store?.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; relay log: ${logged.join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("startWebhookRelay", () => {
  it("forwards a signed delivery from the channel to repol, which handles it", async () => {
    const body = { action: "opened", installation: { id: 1 } };
    const delivery = randomUUID();
    publish({
      "x-github-event": "issues",
      "x-github-delivery": delivery,
      "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(JSON.stringify(body)).digest("hex")}`,
      body,
      query: {},
      timestamp: Date.now(),
    });
    await until(() => handled.length > 0, "the relayed delivery");
    expect(handled).toEqual([{ delivery, action: "opened" }]);
  });

  it("relays a forged delivery too, which repol then rejects on its signature", async () => {
    const before = handled.length;
    publish({ "x-github-event": "issues", "x-github-delivery": randomUUID(), "x-hub-signature-256": `sha256=${"0".repeat(64)}`, body: { action: "opened" }, query: {} });
    await until(() => logged.some((line) => / - 400$/.test(line)), "repol's answer to the forged delivery");
    expect(handled.length).toBe(before);
  });
});

describe("localWebhookUrl", () => {
  it.each([
    ["0.0.0.0", "http://127.0.0.1:3000/api/github/webhooks"],
    ["::", "http://127.0.0.1:3000/api/github/webhooks"],
    ["127.0.0.1", "http://127.0.0.1:3000/api/github/webhooks"],
    ["::1", "http://[::1]:3000/api/github/webhooks"],
    ["localhost", "http://localhost:3000/api/github/webhooks"],
  ])("turns bind address %s into %s", (host, url) => {
    expect(localWebhookUrl(host, 3000, "/api/github/webhooks")).toBe(url);
  });
});
