// Starts repol's real express server (createServer) on 127.0.0.1 with a Probot that never reaches GitHub
// on its own, and signs webhooks the way GitHub does.
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HandlerRegistry } from "../../src/handlers/registry.js";
import type { AppDeps } from "../../src/handlers/types.js";
import { createServer } from "../../src/server.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testProbot } from "./test-probot.js";

export interface RunningRepol {
  url: string;
  close(): Promise<void>;
  /** POSTs a webhook signed with TEST_WEBHOOK_SECRET; resolves with the HTTP status. */
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
      const { body, headers } = signedDelivery(TEST_WEBHOOK_SECRET, event, payload, deliveryId);
      const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body });
      await response.text();
      return response.status;
    },
  };
}
