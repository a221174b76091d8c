// Starts repol: settings → policy bundle → audit store → Probot → HTTP server, and stops it gracefully.
import { once } from "node:events";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createProbot, ProbotOctokit } from "probot";
import { openAuditStore } from "./audit/open-audit-store.js";
import { startRetention } from "./audit/retention.js";
import { registry } from "./handlers/index.js";
import { probotGitHubOverrides } from "./github/octokit-options.js";
import { startRedeliverySweep } from "./intake/redeliver-failed.js";
import { requireWebhookSecret } from "./intake/webhook-secrets.js";
import { countGitHubRequests, instrumentEngine } from "./metrics.js";
import { loadPolicyEngine } from "./policy/engine.js";
import { createServer, WEBHOOK_PATH } from "./server.js";
import { createRepolLogger } from "./log-redaction.js";
import { loadSettings } from "./settings.js";
import { runSetupMode, shouldRunSetup } from "./setup-mode.js";
import { localWebhookUrl, startWebhookRelay, type WebhookRelay } from "./webhook-relay.js";

/**
 * Deliveries still running after this are abandoned at shutdown; they are stored, so the next start
 * processes them again. Below Kubernetes' default 30 s termination grace period.
 */
const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  // The manifest flow writes credentials to .env; later starts read them from there.
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (shouldRunSetup(process.env)) {
    const setup = await runSetupMode();
    console.info(`repol has no GitHub App credentials yet: open ${setup.url} to register the App`);
    return;
  }
  requireWebhookSecret(process.env);
  const settings = loadSettings();
  const engine = instrumentEngine(await loadPolicyEngine(settings.policyWasmPath));
  const store = await openAuditStore(settings);
  const probot = createProbot({
    overrides: {
      ...probotGitHubOverrides({ timeoutMs: settings.githubRequestTimeoutMs }, ProbotOctokit.plugin(countingRequests)),
      // Keys, tokens and the webhook secret are scrubbed from every log line.
      log: await createRepolLogger(),
    },
  });
  const app = await createServer({ probot, registry, deps: { engine, store, settings } });

  const server = app.listen(settings.port, settings.host);
  await once(server, "listening");
  const { address, port } = server.address() as AddressInfo;
  const shown = address.includes(":") ? `[${address}]` : address;
  probot.log.info({ store: store.kind, policies: engine.digest, githubApi: settings.githubApiUrl }, `repol listening on http://${shown}:${port}`);
  const relay = await startRelay(address, port, probot.log);
  const stopRetention = startRetention(store, settings.auditRetentionDays, {
    info: (message) => probot.log.info(message),
    error: (message) => probot.log.error(message),
  });
  const stopRedelivery = startRedeliverySweep({
    appClient: () => probot.auth(),
    deliveries: store.deliveries!,
    wanted: (event) => [...registry.keys()].some((key) => key.split(".")[0] === event),
    log: probot.log,
    intervalMinutes: settings.redeliverIntervalMinutes,
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      probot.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    probot.log.info(`${signal}: no longer accepting webhooks; finishing deliveries in progress`);
    app.work.intake.stopAccepting();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    stopRedelivery();
    const drained = await app.work.drain(SHUTDOWN_GRACE_MS);
    if (!drained) probot.log.error("deliveries still running at shutdown were left to the next start (they are stored)");
    server.closeAllConnections();
    await closed;
    stopRetention();
    await relay?.stop();
    await store.close();
    probot.log.info("repol stopped");
    process.exit(drained ? 0 : 1);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
}

/** Local development: forward deliveries from a smee.io channel (WEBHOOK_PROXY_URL) to our webhook route. */
async function startRelay(address: string, port: number, log: { info(m: string): void; warn(m: string): void; error(m: string): void }): Promise<WebhookRelay | undefined> {
  const source = process.env.WEBHOOK_PROXY_URL;
  if (!source) return undefined;
  try {
    return await startWebhookRelay({ source, target: localWebhookUrl(address, port, WEBHOOK_PATH), log });
  } catch (error) {
    // The server still serves direct deliveries; only the relay is missing.
    log.error(`webhook relay from ${source} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

// metrics.ts declares the slice of Octokit it hooks into, narrower than Octokit's generic hook type.
const countingRequests: Parameters<typeof ProbotOctokit.plugin>[0] = (octokit) => {
  countGitHubRequests(octokit as unknown as Parameters<typeof countGitHubRequests>[0]);
};

main().catch((error: unknown) => {
  console.error(`repol failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
