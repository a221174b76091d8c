// What the end-to-end figures are measured on: the fake GitHub (one process), repol (another, as
// built) and this process as the load generator, sending signed webhooks over keep-alive connections.
import { startFakeGitHub, type FakeGitHub } from "../fake-github/client.js";
import { startRepolProcess, type RepolProcess } from "../lib/repol-process.js";
import { webhookSender, type Delivery, type Sent, type WebhookSender } from "../lib/webhook-sender.js";

/** GitHub's webhook path for repol (src/server.ts WEBHOOK_PATH). */
export const WEBHOOK_PATH = "/api/github/webhooks";
export const APP_ID = 424_242;
export const SENDERS = 50;
/** A slower repol fails the bench with its log rather than hanging it. */
export const ANSWER_TIMEOUT_MS = Number(process.env.BENCH_ANSWER_TIMEOUT_MS ?? 240_000);

export interface Rig {
  github: FakeGitHub;
  repol: RepolProcess;
  sender: WebhookSender;
  /** The API root repol is configured with (callback URLs must point there). */
  apiUrl: string;
  installations: number;
  nextRunId(): number;
  /** Posts a delivery and fails loudly unless repol accepted it (2xx). */
  deliver(delivery: Delivery): Promise<Sent>;
}

export async function startRig(installations: number): Promise<Rig> {
  const github = await startFakeGitHub({ installations, appId: APP_ID });
  let repol: RepolProcess;
  try {
    repol = await startRepolProcess({ githubHost: github.host, appId: APP_ID });
  } catch (error) {
    await github.stop();
    throw error;
  }
  const sender = webhookSender(repol.url, WEBHOOK_PATH, SENDERS);
  let runId = 9_000_000;
  return {
    github,
    repol,
    sender,
    apiUrl: `http://${github.host}/api/v3`,
    installations,
    nextRunId: () => runId++,
    async deliver(delivery) {
      const sent = await sender.post(delivery);
      if (sent.status < 200 || sent.status > 299)
        throw new Error(`repol answered ${sent.status} to a ${delivery.event} delivery; its log ends with:\n${repol.logTail()}`);
      return sent;
    },
  };
}

export async function stopRig(rig: Rig): Promise<void> {
  rig.sender.close();
  await rig.repol.stop();
  await rig.github.stop();
}

/**
 * Waits until GitHub has seen no call for `quietMs` and returns the calls made since the last take:
 * what repol does after the verdict reached GitHub is still part of the event.
 */
export async function callsUntilQuiet(github: FakeGitHub, quietMs = 400): Promise<Record<string, number>> {
  const total: Record<string, number> = {};
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const counts = await github.takeCounts();
    if (Object.keys(counts).length === 0) return total;
    for (const [route, n] of Object.entries(counts)) total[route] = (total[route] ?? 0) + n;
  }
}

export const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** GitHub asks for writes to one installation a second apart, and repol paces them so (per installation). */
export const writePacing = () => new Promise((resolve) => setTimeout(resolve, 1_100));
