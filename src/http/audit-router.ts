// GET /audit, /audit/summary, /audit/export, /audit/verify and /audit/:id, POST /audit/:id/replay and
// /audit/preview — the audit trail over HTTP (docs/openapi.yaml).
import { Router, type Response } from "express";
import type { AuditStore } from "../audit/store.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import type { FailedAttemptLimiter } from "./auth-rate-limit.js";
import { requireBearerToken } from "./auth.js";
import { parseExportQuery, parseListQuery, parseWindow, type Parsed } from "./audit-params.js";
import { CSV_HEADER, csvLine, ndjsonLine, startedRows, writeRows } from "./audit-export.js";
import { previewRoute } from "./audit-preview.js";
import { replayRoute } from "./audit-replay.js";
import { findAuditRecord } from "./find-audit-record.js";

export interface AuditRouterParts {
  store: AuditStore;
  /** AUDIT_API_TOKEN; null answers 503, never opens the API. */
  token: string | null;
  /** An export that fails after its first bytes can only be cut off; this is where it gets reported. */
  onExportError?: (error: Error) => void;
  /** Shared with the other token-protected routers, so failed guesses are counted once per client. */
  limiter?: FailedAttemptLimiter;
  /** The policy in force, which replays compare against; without it POST /:id/replay and /preview are not offered. */
  engine?: PolicyEngine;
  /** PUBLIC_URL, for links to audit rows in previews. */
  publicUrl?: string | null;
}

export function auditRouter({ store, token, onExportError = reportExportError, limiter, engine, publicUrl = null }: AuditRouterParts): Router {
  const router = Router();
  router.use(requireBearerToken(token, limiter));
  router.use((_req, res, next) => {
    // Audit rows carry repository content; no shared cache may keep them.
    res.set("Cache-Control", "no-store");
    next();
  });

  router.get("/", async (req, res) => {
    const q = parseListQuery(req.query);
    if (!isValid(q, res)) return;
    res.json(await store.query(q.value));
  });

  router.get("/summary", async (req, res) => {
    const window = parseWindow(req.query);
    if (!isValid(window, res)) return;
    res.json(await store.summary(window.value));
  });

  router.get("/export", async (req, res) => {
    const parsed = parseExportQuery(req.query);
    if (!isValid(parsed, res)) return;
    const { format, ...q } = parsed.value;
    const rows = await startedRows(store.stream(q));
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    res.status(200);
    res.set("Content-Type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    res.set("Content-Disposition", `attachment; filename="repol-audit-${stamp}.${format}"`);
    res.set("X-Content-Type-Options", "nosniff");
    try {
      if (format === "csv") res.write(CSV_HEADER);
      const complete = await writeRows(rows, res, format === "csv" ? csvLine : ndjsonLine);
      if (complete) res.end();
    } catch (error) {
      // Headers are gone already: cut the connection so the client sees a broken transfer,
      // never a shorter file that looks complete.
      onExportError(error as Error);
      res.destroy(error as Error);
    }
  });

  router.get("/verify", async (_req, res) => {
    // A broken chain is an answer, not a server error: 200 with ok false and the first broken row.
    res.json(await store.verifyChain());
  });

  router.get("/:id", async (req, res) => {
    const record = await findAuditRecord(store, req.params.id, res);
    if (record) res.json(record);
  });

  if (engine) router.post("/:id/replay", replayRoute(store, engine));
  if (engine) router.post("/preview", previewRoute(store, engine, publicUrl));

  return router;
}

function isValid<T>(parsed: Parsed<T>, res: Response): parsed is Extract<Parsed<T>, { ok: true }> {
  if (parsed.ok) return true;
  res.status(400).json({ error: "bad_request", message: parsed.message, parameter: parsed.parameter });
  return false;
}

function reportExportError(error: Error): void {
  console.error(`repol audit export failed mid-stream: ${error.message}`);
}
