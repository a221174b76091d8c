import { Router } from "express";
import type { AuditStore } from "../audit/store.js";
import type { PolicyEngine } from "../policy/engine-types.js";

export interface ReadinessParts {
  /** The loaded policy bundle; null while it is not (yet) loaded. */
  engine: PolicyEngine | null;
  store: AuditStore;
  /** How long /ready waits for the store before calling it unreachable. */
  storeTimeoutMs?: number;
  /** Told why the store check failed; /ready itself does not say, it is unauthenticated. */
  onStoreError?: (error: unknown) => void;
  /** The smee relay of local development (WEBHOOK_PROXY_URL): without it no webhook arrives. */
  relay?: { readiness(): ReadinessCheck } | null;
}

export interface ReadinessCheck {
  name: "policies" | "store" | "relay";
  ok: boolean;
  detail: string;
}

/**
 * GET /health: the process answers (liveness; restarting cannot fix a slow database).
 * GET /ready: policies are loaded and the audit store answers (and a configured relay is connected),
 * so traffic may be routed here.
 */
export function healthRouter(parts: ReadinessParts): Router {
  const router = Router();
  router.get("/health", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  router.get("/ready", async (_req, res) => {
    const checks = await readinessChecks(parts);
    const ready = checks.every((check) => check.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", checks });
  });
  return router;
}

export async function readinessChecks({ engine, store, storeTimeoutMs = 2000, onStoreError, relay }: ReadinessParts): Promise<ReadinessCheck[]> {
  const policies: ReadinessCheck = engine?.digest
    ? { name: "policies", ok: true, detail: `bundle sha256:${engine.digest}` }
    : { name: "policies", ok: false, detail: "policy bundle not loaded" };
  let storeCheck: ReadinessCheck;
  try {
    await withTimeout(store.ping(), storeTimeoutMs, `${store.kind} store did not answer within ${storeTimeoutMs} ms`);
    storeCheck = { name: "store", ok: true, detail: `${store.kind} reachable` };
  } catch (error) {
    onStoreError?.(error);
    storeCheck = { name: "store", ok: false, detail: `${store.kind} store unreachable` };
  }
  return relay ? [policies, storeCheck, relay.readiness()] : [policies, storeCheck];
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
