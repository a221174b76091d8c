import { Router } from "express";
import type { Metrics } from "../metrics/create-metrics.js";

/** GET /metrics in Prometheus text format. Unauthenticated like /health: it carries counts, no content. */
export function metricsRouter(metrics: Metrics): Router {
  metrics.collectProcessMetrics();
  const { registry } = metrics;
  const router = Router();
  router.get("/metrics", async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.status(200).type(registry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
