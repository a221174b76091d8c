// POST /evaluate/deploy and /evaluate/pullrequest: run a full policy input through the loaded bundle,
// for policy authors and pipelines that want a verdict without a webhook. Token-protected like /audit.
import { Router, type Request, type Response } from "express";
import type { NewAuditRecord } from "../audit/record.js";
import type { AuditStore } from "../audit/store.js";
import type { Decision, PolicyName } from "../policy/decision.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { requireBearerToken } from "./auth.js";
import type { FailedAttemptLimiter } from "./auth-rate-limit.js";

const POLICIES: readonly PolicyName[] = ["deploy", "pullrequest"];

export interface EvaluateParts {
  engine: PolicyEngine;
  store: AuditStore;
  /** AUDIT_API_TOKEN; null answers 503, never opens the route. */
  token: string | null;
  /** Shared with the other token-protected routers, so failed guesses are counted once per client. */
  limiter?: FailedAttemptLimiter;
}

export function evaluateRouter({ engine, store, token, limiter }: EvaluateParts): Router {
  const router = Router();
  router.use("/evaluate", requireBearerToken(token, limiter));
  router.post("/evaluate/:policy", async (req, res, next) => {
    try {
      await evaluateRequest(req, res, engine, store);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

async function evaluateRequest(req: Request, res: Response, engine: PolicyEngine, store: AuditStore): Promise<void> {
  const policy = req.params.policy as PolicyName;
  if (!POLICIES.includes(policy)) {
    res.status(404).json({ error: "unknown_policy", message: `no policy "${req.params.policy}"; use one of: ${POLICIES.join(", ")}` });
    return;
  }
  const dryRun = dryRunOf(req.query.dry_run);
  if (dryRun === "invalid") {
    res.status(400).json({ error: "bad_request", message: "dry_run must be true or false" });
    return;
  }
  const input: unknown = req.body;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    res.status(400).json({
      error: "bad_request",
      message: "the body must be the policy input as a JSON object, sent with Content-Type: application/json",
    });
    return;
  }

  const started = performance.now();
  let decision: Decision | null = null;
  let failure: string | null = null;
  try {
    decision = engine.evaluate(policy, input);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const durationMs = performance.now() - started;

  let auditId: string | null = null;
  if (!dryRun) {
    try {
      const row = auditRowFor(policy, input as Record<string, unknown>, decision, failure, engine.digest, durationMs);
      auditId = (await store.insert(row)).id;
    } catch {
      // An evaluation the caller asked to have recorded must not be reported as if it was.
      res.status(503).json({ error: "audit_unavailable", message: "the decision could not be written to the audit trail; retry, or pass dry_run=true" });
      return;
    }
  }
  if (!decision) {
    res.status(500).json({ error: "evaluation_failed", message: failure, audit_id: auditId });
    return;
  }
  res.status(200).json({
    policy,
    allow: decision.allow,
    deny: decision.deny,
    violations: decision.violations,
    dry_run: dryRun,
    audit_id: auditId,
  });
}

function dryRunOf(value: unknown): boolean | "invalid" {
  if (value === undefined || value === "false") return false;
  if (value === "true" || value === "") return true;
  return "invalid";
}

function auditRowFor(
  policy: PolicyName,
  input: Record<string, unknown>,
  decision: Decision | null,
  failure: string | null,
  digest: string,
  durationMs: number,
): NewAuditRecord {
  return {
    delivery_id: null,
    event: "api",
    action: null,
    policy,
    decision: decision ? (decision.allow ? "allow" : "deny") : "error",
    repository: null,
    installation_id: null,
    // Labelled like the webhook handlers' rows, from the fields the policy inputs define.
    environment: policy === "deploy" ? stringAt(input, "environment") : null,
    ref: policy === "deploy" ? stringAt(input, "ref") : qualifiedBranch(stringAt(input, "base_ref")),
    sha: null,
    pr_number: null,
    actor: null,
    violations: decision?.violations ?? [],
    input,
    bundle_digest: digest || null,
    config_sha: null,
    duration_ms: Math.round(durationMs * 1000) / 1000,
    effect: { kind: "none", ok: true },
    error: failure,
  };
}

function stringAt(input: Record<string, unknown>, key: string): string | null {
  const value = input[key];
  return typeof value === "string" && value !== "" ? value : null;
}

function qualifiedBranch(branch: string | null): string | null {
  return branch === null ? null : `refs/heads/${branch}`;
}
