// The real express server (createServer) on an ephemeral 127.0.0.1 port, its Probot pointed at a fake
// GitHub the way GitHub Enterprise Server is configured (GHE_HOST / GHE_PROTOCOL).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createProbot } from "probot";
import { registry } from "../../src/handlers/index.js";
import { createServer } from "../../src/server.js";
import type { FakeGitHub } from "./fake-github.js";
import { gateDeps, type GateDeps } from "./gate-deps.js";
import { TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey, TestOctokit } from "./test-probot.js";

export interface RepolOverHttp {
  gate: GateDeps;
  url: string;
  close(): Promise<void>;
}

export async function repolOverHttp(github: FakeGitHub, env: Record<string, string> = {}): Promise<RepolOverHttp> {
  const settingsEnv = { GHE_HOST: github.host, GHE_PROTOCOL: "http", ...env };
  const gate = await gateDeps(settingsEnv);
  const probot = createProbot({
    env: { ...settingsEnv, APP_ID: String(TEST_APP_ID), PRIVATE_KEY: testAppPrivateKey(), WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, LOG_LEVEL: "fatal" },
    overrides: { Octokit: TestOctokit },
  });
  const app = await createServer({ probot, registry, deps: gate.deps });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    gate,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gate.close();
    },
  };
}
