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
import { createMetrics, type Metrics } from "./metrics/create-metrics.js";
import { createCustomRules } from "./policy/custom/custom-rules.js";
import { loadPolicyEngine } from "./policy/engine.js";
import { createServer, WEBHOOK_PATH } from "./server.js";
import { createRepolLogger } from "./log-redaction.js";
import { loadSettings } from "./settings.js";
import { runSetupMode, shouldRunSetup } from "./setup-mode.js";
import { startLine } from "./start-line.js";
import { checkPrivateKey, checkWebhookSecret } from "./startup-checks.js";
import { createWebhookRelay, localWebhookUrl } from "./webhook-relay.js";

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
    if (!setup.webhook.relayed) {
      console.info(
        `no smee channel (WEBHOOK_PROXY_URL): the App's webhook URL would be ${setup.webhook.url}, which GitHub cannot reach; the page says what to do`,
      );
    }
    return;
  }
  requireWebhookSecret(process.env);
  const settings = loadSettings();
  const secretWarning = checkWebhookSecret(process.env, settings.host);
  checkPrivateKey(process.env, process.cwd());
  const engine = await loadPolicyEngine(settings.policyWasmPath);
  const metrics = createMetrics();
  metrics.observePolicyMemory(engine);
  const store = await openAuditStore(settings);
  // Kept by digest so every decision this process records can be replayed after an upgrade.
  await store.policyBundles!.keep({ digest: engine.digest, kind: "builtin", wasm: engine.wasm });
  const probot = createProbot({
    overrides: {
      ...probotGitHubOverrides({ timeoutMs: settings.githubRequestTimeoutMs }, ProbotOctokit.plugin(countingRequests(metrics))),
      // Keys, tokens and the webhook secret are scrubbed from every log line.
      log: await createRepolLogger(),
    },
  });
  // Local development: deliveries come from a smee.io channel (WEBHOOK_PROXY_URL) through this relay.
  const relay = process.env.WEBHOOK_PROXY_URL ? createWebhookRelay({ source: process.env.WEBHOOK_PROXY_URL, log: probot.log }) : null;
  // One per process: its compile queue and evaluation workers bound what all repositories' rules may use.
  const customRules = createCustomRules({
    store: store.customRuleModules,
    // A store that cannot keep a compiled module costs a compile next time, not a decision.
    onStoreError: (error, digest) => probot.log.warn({ err: error, digest }, "compiled custom rules could not be read or kept in the store"),
  });
  const app = await createServer({ probot, registry, deps: { engine, store, settings, metrics, customRules }, relay });

  const server = app.listen(settings.port, settings.host);
  await once(server, "listening");
  const { address, port } = server.address() as AddressInfo;
  const relayTarget = relay ? localWebhookUrl(address, port, WEBHOOK_PATH) : null;
  const stopRetention = startRetention(store, settings.auditRetentionDays, probot.log);
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
    await customRules.close();
    await store.close();
    probot.log.info("repol stopped");
    process.exit(drained ? 0 : 1);
  };
  // Before the start line: whoever sees "listening" may signal at once, and a signal with no handler
  // yet would kill the process without the graceful stop.
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
  if (secretWarning) probot.log.warn(secretWarning);
  probot.log.info(
    { store: store.kind, policies: engine.digest, githubApi: settings.githubApiUrl },
    startLine({ address, port, webhookPath: WEBHOOK_PATH, relayTarget, auditApiEnabled: settings.auditApiToken !== null }),
  );
  if (relay && relayTarget) relay.start(relayTarget);
}

// count-github-requests.ts declares the slice of Octokit it hooks into, narrower than Octokit's generic hook type.
const countingRequests =
  (metrics: Metrics): Parameters<typeof ProbotOctokit.plugin>[0] =>
  (octokit) => {
    metrics.countGitHubRequests(octokit as unknown as Parameters<Metrics["countGitHubRequests"]>[0]);
  };

main().catch((error: unknown) => {
  console.error(`repol failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
