// The webhook intake alone on 127.0.0.1 (no repol routes), for tests of how it stores and runs deliveries.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Probot } from "probot";
import type { DeliveryLog } from "../../src/durability/work-store.js";
import { createWebhookIntake, type IntakeOptions, type WebhookIntake } from "../../src/intake/webhook-intake.js";
import { WEBHOOK_PATH } from "../../src/server.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ServedIntake {
  intake: WebhookIntake;
  /** The webhook URL. */
  url: string;
  close(): Promise<void>;
}

export async function serveIntake(probot: Probot, deliveries: DeliveryLog, options: Partial<IntakeOptions> = {}): Promise<ServedIntake> {
  const intake = createWebhookIntake({
    probot,
    deliveries,
    checkSignature: (body, signature) => probot.webhooks.verify(body, signature),
    maxBodyBytes: 1024 * 1024,
    log: silent,
    ...options,
  });
  await intake.start();
  const app = express().post(WEBHOOK_PATH, (req, res) => void intake.receive(req, res));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    intake,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`,
    async close() {
      await intake.drain(1_000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
