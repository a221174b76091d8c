// The real express server (createServer) on an ephemeral 127.0.0.1 port, its Probot pointed at a fake
// GitHub the way GitHub Enterprise Server is configured (GHE_HOST / GHE_PROTOCOL).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createProbot } from "probot";
import { registry } from "../../src/handlers/index.js";
import { createServer, type ServerWork } from "../../src/server.js";
import type { FakeGitHub } from "./fake-github.js";
import { gateDeps, type GateDeps } from "./gate-deps.js";
import type { ManualClock } from "./manual-clock.js";
import { TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey, TestOctokit } from "./test-probot.js";

export interface RepolOverHttp {
  gate: GateDeps;
  url: string;
  /** The intake and the outbox worker, e.g. to tick the outbox when the test moves its clock. */
  work: ServerWork;
  close(): Promise<void>;
}

export interface RepolOverHttpOptions {
  /** Drives the store and the background work: nothing is swept or retried unless the test ticks it. */
  clock?: ManualClock;
}

export async function repolOverHttp(github: FakeGitHub, env: Record<string, string> = {}, { clock }: RepolOverHttpOptions = {}): Promise<RepolOverHttp> {
  const settingsEnv = { GHE_HOST: github.host, GHE_PROTOCOL: "http", ...env };
  const gate = await gateDeps(settingsEnv, { clock: clock?.now });
  const probot = createProbot({
    env: { ...settingsEnv, APP_ID: String(TEST_APP_ID), PRIVATE_KEY: testAppPrivateKey(), WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, LOG_LEVEL: "fatal" },
    overrides: { Octokit: TestOctokit },
  });
  const timing = clock ? { clock, deliverySweepMs: 0, outboxIntervalMs: 0 } : {};
  const app = await createServer({ probot, registry, deps: gate.deps, timing });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    gate,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    work: app.work,
    async close() {
      await app.work.drain(5_000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gate.close();
    },
  };
}
