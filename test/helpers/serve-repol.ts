// Starts repol's real express server (createServer) on 127.0.0.1 with a Probot that never reaches GitHub
// on its own, and signs webhooks the way GitHub does.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit } from "probot";
import type { HandlerRegistry } from "../../src/handlers/registry.js";
import type { AppDeps } from "../../src/handlers/types.js";
import { createServer } from "../../src/server.js";

export const WEBHOOK_SECRET = "repol-test-secret";

let privateKey: string | undefined;

export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

export function testProbot(): Probot {
  return new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: WEBHOOK_SECRET,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });
}

export interface RunningRepol {
  url: string;
  close(): Promise<void>;
  /** POSTs a webhook signed with WEBHOOK_SECRET; resolves with the HTTP status. */
  deliver(event: string, payload: unknown, deliveryId?: string): Promise<number>;
}

export async function serveRepol(registry: HandlerRegistry, deps: AppDeps): Promise<RunningRepol> {
  const app = await createServer({ probot: testProbot(), registry, deps });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    async deliver(event, payload, deliveryId = randomUUID()) {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
      const response = await fetch(`${url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": deliveryId,
          "x-hub-signature-256": signature,
        },
        body,
      });
      await response.text();
      return response.status;
    },
  };
}
