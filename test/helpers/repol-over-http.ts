// The one way tests run repol in-process over HTTP: the real express server (createServer) on an
// ephemeral 127.0.0.1 port, answering webhooks signed the way GitHub signs them. `serveRepol` takes
// the dependencies as given; `repolOverHttp` builds them (gateDeps) and points Probot at a fake GitHub
// the way GitHub Enterprise Server is configured (GHE_HOST / GHE_PROTOCOL). src/main.ts as a real
// child process is repol-process.ts.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createProbot, type Probot } from "probot";
import { registry as realRegistry } from "../../src/handlers/index.js";
import type { HandlerRegistry } from "../../src/handlers/registry.js";
import type { AppDeps } from "../../src/handlers/types.js";
import type { Metrics } from "../../src/metrics/create-metrics.js";
import { createServer, WEBHOOK_PATH, type RepolServer, type ServerParts, type ServerWork } from "../../src/server.js";
import { gateDeps, type GateDeps, type GateDepsOptions } from "./gate-deps.js";
import type { ManualClock } from "./manual-clock.js";
import { signedDelivery, TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey, TestOctokit, testProbot } from "./test-probot.js";

export interface PostedDelivery {
  id: string;
  status: number;
  text: string;
}

export interface ServedRepol {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The express app itself, for tests that read its routes. */
  app: RepolServer;
  /** The intake and the outbox worker, e.g. to tick the outbox when the test moves its clock. */
  work: ServerWork;
  /** POSTs raw bytes to the webhook path with exactly these headers. */
  post(body: string | Uint8Array, headers: Record<string, string>): Promise<{ status: number; text: string }>;
  /** POSTs a delivery signed with TEST_WEBHOOK_SECRET, as GitHub sends it. */
  deliver(event: string, payload: unknown, id?: string): Promise<PostedDelivery>;
  /** Drains the background work, then stops listening. */
  close(): Promise<void>;
}

export interface ServeRepolOptions {
  deps: AppDeps;
  /** The real registry unless a test needs other handlers. */
  registry?: HandlerRegistry;
  /** The test Probot unless a test configures its own. */
  probot?: Probot;
  timing?: ServerParts["timing"];
  drainMs?: number;
}

export async function serveRepol({ deps, registry = realRegistry, probot = testProbot(), timing, drainMs = 5_000 }: ServeRepolOptions): Promise<ServedRepol> {
  const app = await createServer({ probot, registry, deps, timing });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (body: string | Uint8Array, headers: Record<string, string>) => {
    const response = await fetch(`${url}${WEBHOOK_PATH}`, { method: "POST", headers, body });
    return { status: response.status, text: await response.text() };
  };
  return {
    url,
    app,
    work: app.work,
    post,
    async deliver(event, payload, id) {
      const delivery = signedDelivery(TEST_WEBHOOK_SECRET, event, payload, id);
      return { id: delivery.id, ...(await post(delivery.body, delivery.headers)) };
    },
    async close() {
      await app.work.drain(drainMs);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export interface RepolOverHttp extends ServedRepol {
  gate: GateDeps;
}

export interface RepolOverHttpOptions {
  /** Drives the store and the background work: nothing is swept or retried unless the test ticks it. */
  clock?: ManualClock;
  log?: Logger;
  /** The metrics repol records into (e.g. shared with an Octokit plugin the test installs); fresh ones unless given. */
  metrics?: Metrics;
  /** Probot's Octokit and its options; the test Octokit (no retries, no throttling) unless given. */
  /** See GateDepsOptions. */
  customRulesPool?: GateDepsOptions["customRulesPool"];
  overrides?: Parameters<typeof createProbot>[0] extends { overrides?: infer O } | undefined ? O : never;
}

/** repol configured from `env` as an operator would, against the GitHub at `github.host`. */
export async function repolOverHttp(
  github: { host: string },
  env: Record<string, string> = {},
  { clock, log, metrics, customRulesPool, overrides = { Octokit: TestOctokit } }: RepolOverHttpOptions = {},
): Promise<RepolOverHttp> {
  const settingsEnv = { GHE_HOST: github.host, GHE_PROTOCOL: "http", ...env };
  const gate = await gateDeps(settingsEnv, { clock: clock?.now, customRulesPool });
  const probot = createProbot({
    env: { ...settingsEnv, APP_ID: String(TEST_APP_ID), PRIVATE_KEY: testAppPrivateKey(), WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, LOG_LEVEL: "fatal" },
    overrides: { ...overrides, ...(log ? { log } : {}) },
  });
  const timing = clock ? { clock, deliverySweepMs: 0, outboxIntervalMs: 0 } : {};
  const served = await serveRepol({ probot, deps: metrics ? { ...gate.deps, metrics } : gate.deps, timing });
  return {
    ...served,
    gate,
    async close() {
      await served.close();
      await gate.close();
    },
  };
}
