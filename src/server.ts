import express from "express";
import { createNodeMiddleware, type Probot } from "probot";
import { repolApp } from "./app.js";
import type { HandlerRegistry } from "./handlers/registry.js";
import type { HandlerDeps } from "./handlers/types.js";
import { evaluateRouter } from "./http/evaluate.js";
import { auditRouter } from "./http/audit-router.js";
import { healthRouter } from "./http/health.js";
import { metricsRouter } from "./http/metrics.js";

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface ServerParts {
  probot: Probot;
  registry: HandlerRegistry;
  deps: HandlerDeps;
}

/** The express app: Probot's webhook middleware first (it needs the raw body), then repol's routes. */
export async function createServer({ probot, registry, deps }: ServerParts): Promise<express.Express> {
  const server = express();
  server.disable("x-powered-by");
  server.use(await createNodeMiddleware(repolApp(registry, deps), { probot, webhooksPath: WEBHOOK_PATH }));
  server.use(express.json({ limit: "1mb" }));
  // repol's HTTP routes are mounted here (src/http/*).
  // Probes and metrics carry no repository content, so they stay unauthenticated for kubelet and Prometheus.
  server.use(
    healthRouter({
      engine: deps.engine,
      store: deps.store,
      onStoreError: (error) => probot.log.warn({ err: error }, "readiness: audit store unreachable"),
    }),
  );
  server.use(metricsRouter());
  server.use(
    "/audit",
    auditRouter({
      store: deps.store,
      token: deps.settings.auditApiToken,
      onExportError: (error) => probot.log.error({ err: error }, "audit export failed mid-stream"),
    }),
  );
  server.use(evaluateRouter({ engine: deps.engine, store: deps.store, token: deps.settings.auditApiToken }));

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
  return server;
}
