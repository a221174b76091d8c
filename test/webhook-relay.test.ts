// A delivery relayed from a smee-like channel (a local server-sent-events stream) reaches repol's
// webhook endpoint with GitHub's headers and signature intact; a channel that refuses connections is
// tried again until it accepts, and /ready says so meanwhile.
import { randomUUID } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../src/audit/open-audit-store.js";
import type { AuditStore } from "../src/audit/store.js";
import { buildRegistry } from "../src/handlers/registry.js";
import { healthRouter } from "../src/http/health.js";
import { loadPolicyEngine } from "../src/policy/engine.js";
import { WEBHOOK_PATH } from "../src/server.js";
import { loadSettings } from "../src/settings.js";
import type { Log } from "../src/domain/log.js";
import { createWebhookRelay, localWebhookUrl, type WebhookRelay } from "../src/webhook-relay.js";
import { eventually } from "./helpers/eventually.js";
import { policyWasmPath } from "./helpers/policy-bundle.js";
import { serveRepol, type ServedRepol } from "./helpers/repol-over-http.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "./helpers/test-probot.js";

let channel: Server;
let channelUrl: string;
const listeners: ServerResponse[] = [];
/** While false the channel drops every connection at once, like a smee.io that cannot be reached. */
let channelAccepts = true;
let repol: ServedRepol;
let store: AuditStore;
let relay: WebhookRelay;
const handled: { delivery: string; action: string }[] = [];
const logged: string[] = [];
const log: Pick<Log, "info" | "warn"> = { info: (message: string) => logged.push(message), warn: (message: string) => logged.push(message) };

function publish(message: Record<string, unknown>): void {
  for (const listener of listeners) listener.write(`data: ${JSON.stringify(message)}\n\n`);
}

beforeAll(async () => {
  channel = createServer((req, res) => {
    if (!channelAccepts) {
      req.socket.destroy();
      return;
    }
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
  repol = await serveRepol({ registry, deps: { engine: await loadPolicyEngine(policyWasmPath()), store, settings: loadSettings({}) } });
  const { port } = new URL(repol.url);
  relay = createWebhookRelay({ source: channelUrl, log });
  relay.start(localWebhookUrl("0.0.0.0", Number(port), WEBHOOK_PATH));
  await relay.connected();
});

afterAll(async () => {
  await relay?.stop();
  for (const listener of listeners) listener.end();
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

describe("createWebhookRelay", () => {
  it("forwards a signed delivery from the channel to repol, which handles it", async () => {
    const body = { action: "opened", installation: { id: 1 } };
    const delivery = randomUUID();
    publish({
      "x-github-event": "issues",
      "x-github-delivery": delivery,
      "x-hub-signature-256": signedDelivery(TEST_WEBHOOK_SECRET, "issues", body).headers["x-hub-signature-256"],
      body,
      query: {},
      timestamp: Date.now(),
    });
    await until(() => handled.length > 0, "the relayed delivery");
    expect(handled).toEqual([{ delivery, action: "opened" }]);
  });

  it("relays a forged delivery too, which repol then rejects on its signature", async () => {
    const before = handled.length;
    publish({
      "x-github-event": "issues",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      body: { action: "opened" },
      query: {},
    });
    await until(() => logged.some((line) => / - 400$/.test(line)), "repol's answer to the forged delivery");
    expect(handled.length).toBe(before);
  });
});

describe("a channel that refuses connections", () => {
  let late: WebhookRelay | undefined;
  afterAll(async () => {
    await late?.stop();
    channelAccepts = true;
  });

  it("is tried again with growing delays, /ready says the relay is down, and deliveries flow once it accepts", async () => {
    channelAccepts = false;
    const lines: string[] = [];
    late = createWebhookRelay({
      source: channelUrl,
      log: { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) },
      firstRetryMs: 10,
      maxRetryMs: 40,
    });
    const probe = express().use(healthRouter({ engine: await loadPolicyEngine(policyWasmPath()), store, relay: late }));
    const server = probe.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const ready = async () => {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`);
      return { status: response.status, body: (await response.json()) as { checks: { name: string; ok: boolean; detail: string }[] } };
    };
    try {
      late.start(localWebhookUrl("127.0.0.1", Number(new URL(repol.url).port), WEBHOOK_PATH));
      await eventually("three failed attempts", () => lines.filter((line) => line.includes("retrying in")).length >= 3);
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.checks).toContainEqual({
        name: "relay",
        ok: false,
        detail: expect.stringMatching(/^not connected to the smee channel after \d+ attempts; retrying$/),
      });
      expect(JSON.stringify(down.body)).not.toContain(channelUrl);
      const delays = lines.filter((line) => line.includes("retrying in")).map((line) => /retrying in (\d+) ms/.exec(line)![1]);
      expect(delays.slice(0, 3)).toEqual(["10", "20", "40"]);

      channelAccepts = true;
      await late.connected();
      const up = await ready();
      expect(up.status).toBe(200);
      expect(up.body.checks).toContainEqual({ name: "relay", ok: true, detail: "connected to the smee channel" });

      const body = { action: "opened", installation: { id: 1 } };
      publish({
        "x-github-event": "issues",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": signedDelivery(TEST_WEBHOOK_SECRET, "issues", body).headers["x-hub-signature-256"],
        body,
        query: {},
      });
      // The first relay forwards it too; the late one's own POST is what shows it relays again.
      await eventually("the late relay's POST to repol", () => lines.some((line) => / - 20\d$/.test(line)));
      expect(lines.filter((line) => /Connection closed/.test(line))).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("a channel connection that drops", () => {
  it("is reconnected through the same delayed retries", async () => {
    const lines: string[] = [];
    const dropping = createWebhookRelay({
      source: channelUrl,
      log: { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) },
      firstRetryMs: 10,
    });
    try {
      dropping.start(localWebhookUrl("127.0.0.1", Number(new URL(repol.url).port), WEBHOOK_PATH));
      await dropping.connected();
      channelAccepts = false;
      for (const listener of listeners.splice(0)) listener.end();

      await eventually("the relay noticing the drop", () => lines.some((line) => line.includes("retrying in")));
      expect(dropping.readiness().ok).toBe(false);
      channelAccepts = true;
      await dropping.connected();
      expect(dropping.readiness()).toEqual({ name: "relay", ok: true, detail: "connected to the smee channel" });
    } finally {
      channelAccepts = true;
      await dropping.stop();
    }
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
