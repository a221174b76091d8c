import { Router } from "express";
import { collectProcessMetrics, metricsRegistry } from "../metrics.js";

/** GET /metrics in Prometheus text format. Unauthenticated like /health: it carries counts, no content. */
export function metricsRouter(): Router {
  collectProcessMetrics();
  const router = Router();
  router.get("/metrics", async (_req, res, next) => {
    try {
      const body = await metricsRegistry.metrics();
      res.status(200).type(metricsRegistry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
