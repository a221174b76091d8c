import express from "express";
import type { Probot } from "probot";
import { repolApp } from "./app.js";
import type { HandlerRegistry } from "./handlers/registry.js";
import type { AppDeps } from "./handlers/types.js";
import { createFailedAttemptLimiter } from "./http/auth-rate-limit.js";
import { evaluateRouter } from "./http/evaluate.js";
import { auditRouter } from "./http/audit-router.js";
import { healthRouter, type ReadinessCheck } from "./http/health.js";
import { metricsRouter } from "./http/metrics.js";
import { uiRouter } from "./http/ui/ui-router.js";
import type { Clock } from "./durability/clock.js";
import { createMetrics } from "./metrics/create-metrics.js";
import { createWebhookIntake, type WebhookIntake } from "./intake/webhook-intake.js";
import { signatureCheck } from "./intake/webhook-secrets.js";
import { startOutboxWorker, type OutboxWorker } from "./durability/outbox-worker.js";
import { retryPolicyOf } from "./durability/record-and-deliver.js";
import { createKeyedQueue } from "./durability/keyed-queue.js";
import { systemClock } from "./durability/clock.js";
import { startWaitingSweep, type WaitingSweep } from "./handlers/waiting-sweep.js";

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface ServerParts {
  probot: Probot;
  registry: HandlerRegistry;
  deps: AppDeps;
  /** The smee relay of local development, reported by /ready; started once the server listens. */
  relay?: { readiness(): ReadinessCheck } | null;
  /** Sweep intervals (0: only when ticked) and the clock of the timers; tests shorten or drive them. */
  timing?: { deliverySweepMs?: number; outboxIntervalMs?: number; waitingSweepMs?: number; clock?: Clock };
}

/** The background work behind the webhook route, for a graceful stop. */
export interface ServerWork {
  intake: WebhookIntake;
  outbox: OutboxWorker | null;
  /** Judges waiting deployments again on a timer; its first sweep (at start) is `reconciled`. */
  waiting: WaitingSweep;
  /** New webhooks get 503; waits for deliveries in progress (false when `timeoutMs` passes first), then stops the outbox worker. */
  drain(timeoutMs: number): Promise<boolean>;
}

export type RepolServer = express.Express & { readonly work: ServerWork };

/**
 * The express app: repol's webhook intake first (it reads the raw body itself), then repol's routes.
 * Stored deliveries and queued effects a previous process left are picked up before it returns.
 */
export async function createServer({ probot, registry, deps: given, relay, timing = {} }: ServerParts): Promise<RepolServer> {
  const metrics = given.metrics ?? createMetrics();
  // Every decision ends in an audit row, so that is where decisions are counted, once each.
  const deps: AppDeps = {
    ...given,
    metrics,
    engine: metrics.instrumentEngine(given.engine),
    store: metrics.countDecisions(given.store),
    // One per process, shared by the webhook handlers and the waiting sweep.
    perEnvironment: given.perEnvironment ?? createKeyedQueue(),
    clock: given.clock ?? timing.clock ?? systemClock,
  };
  const { deliveries, outbox } = deps.store;
  if (!deliveries) throw new Error(`the ${deps.store.kind} audit store keeps no delivery log; repol cannot take webhooks without one`);
  await probot.load(repolApp(registry, deps));
  const intake = createWebhookIntake({
    probot,
    deliveries,
    checkSignature: signatureCheck((body, signature) => probot.webhooks.verify(body, signature), deps.settings.webhookSecretPrevious),
    maxBodyBytes: deps.settings.webhookMaxBodyBytes,
    log: probot.log,
    sweepIntervalMs: timing.deliverySweepMs,
    clock: timing.clock,
  });
  const outboxWorker = outbox
    ? startOutboxWorker({
        outbox,
        clientFor: (installationId) => (installationId === null ? probot.auth() : probot.auth(installationId)),
        log: probot.log,
        policy: retryPolicyOf(deps),
        intervalMs: timing.outboxIntervalMs,
        clock: timing.clock,
        metrics,
      })
    : null;
  await intake.start();
  const waitingSweep = startWaitingSweep({
    deps,
    clientFor: (installationId) => probot.auth(installationId),
    log: probot.log,
    intervalMs: timing.waitingSweepMs ?? deps.settings.waitingSweepSeconds * 1000,
    clock: timing.clock ?? systemClock,
  });
  const work: ServerWork = {
    intake,
    outbox: outboxWorker,
    waiting: waitingSweep,
    async drain(timeoutMs) {
      const drained = await intake.drain(timeoutMs);
      waitingSweep.stop();
      await waitingSweep.reconciled;
      await outboxWorker?.stop();
      return drained;
    },
  };

  const server = express();
  server.disable("x-powered-by");
  // Decides the client address the failed-token limiter counts under (TRUST_PROXY, off by default).
  if (deps.settings.trustProxy !== null) server.set("trust proxy", deps.settings.trustProxy);
  server.post(WEBHOOK_PATH, (req, res, next) => {
    intake.receive(req, res).catch(next);
  });
  server.use(express.json({ limit: "1mb" }));
  // repol's HTTP routes are mounted here (src/http/*).
  // Probes and metrics carry no repository content, so they stay unauthenticated for kubelet and Prometheus.
  server.use(
    healthRouter({
      engine: deps.engine,
      store: deps.store,
      onStoreError: (error) => probot.log.warn({ err: error }, "readiness: audit store unreachable"),
      relay,
    }),
  );
  server.use(metricsRouter(metrics));
  const limiter = createFailedAttemptLimiter();
  server.use(
    "/audit",
    auditRouter({
      limiter,
      store: deps.store,
      engine: deps.engine,
      token: deps.settings.auditApiToken,
      publicUrl: deps.settings.publicUrl,
      onExportError: (error) => probot.log.error({ err: error }, "audit export failed mid-stream"),
    }),
  );
  server.use(evaluateRouter({ engine: deps.engine, store: deps.store, token: deps.settings.auditApiToken, limiter }));
  server.use(
    "/ui",
    uiRouter({
      limiter,
      store: deps.store,
      token: deps.settings.auditApiToken,
      githubApiUrl: deps.settings.githubApiUrl,
      publicUrl: deps.settings.publicUrl,
      onError: (error) => probot.log.error({ err: error }, "audit page failed"),
    }),
  );

  server.use((_req, res) => {
    res.status(404).json({ error: "not_found", message: "no such route" });
  });
  server.use(((err, _req, res, _next) => {
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({
      error: status === 500 ? "internal_error" : "bad_request",
      message: status === 500 ? "internal error" : String(err?.message ?? err),
    });
  }) as express.ErrorRequestHandler);
  return Object.assign(server, { work });
}
