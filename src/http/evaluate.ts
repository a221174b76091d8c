// POST /evaluate/deploy and /evaluate/pullrequest: run a full policy input through the loaded bundle,
// for policy authors and pipelines that want a verdict without a webhook. Token-protected like /audit.
import { Router, type Request, type Response } from "express";
import { buildAuditRecord } from "../audit/build-audit-record.js";
import type { NewAuditRecord } from "../audit/record.js";
import type { AuditStore } from "../audit/store.js";
import { evaluateInput, type InputVerdict } from "../core/evaluate-input.js";
import { isPolicyName, POLICY_NAMES, type PolicyName } from "../domain/policy-name.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { requireBearerToken } from "./auth.js";
import type { FailedAttemptLimiter } from "./auth-rate-limit.js";

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
  const policy = req.params.policy;
  if (!isPolicyName(policy)) {
    res.status(404).json({ error: "unknown_policy", message: `no policy "${req.params.policy}"; use one of: ${POLICY_NAMES.join(", ")}` });
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
  const verdict = evaluateInput(engine, policy, input);
  const durationMs = performance.now() - started;

  let auditId: string | null = null;
  if (!dryRun) {
    try {
      const row = auditRowFor(policy, input as Record<string, unknown>, verdict, engine.digest, durationMs);
      auditId = (await store.insert(row)).id;
    } catch {
      // An evaluation the caller asked to have recorded must not be reported as if it was.
      res.status(503).json({ error: "audit_unavailable", message: "the decision could not be written to the audit trail; retry, or pass dry_run=true" });
      return;
    }
  }
  const { result } = verdict;
  if (!result) {
    res.status(500).json({ error: "evaluation_failed", message: verdict.error, audit_id: auditId });
    return;
  }
  res.status(200).json({
    policy,
    allow: result.allow,
    deny: result.deny,
    violations: result.violations,
    warnings: result.warnings,
    dry_run: dryRun,
    audit_id: auditId,
  });
}

function dryRunOf(value: unknown): boolean | "invalid" {
  if (value === undefined || value === "false") return false;
  if (value === "true" || value === "") return true;
  return "invalid";
}

function auditRowFor(policy: PolicyName, input: Record<string, unknown>, verdict: InputVerdict, digest: string, durationMs: number): NewAuditRecord {
  const subject = {
    delivery_id: null,
    event: "api",
    action: null,
    policy,
    repository: null,
    installation_id: null,
    // Labelled like the webhook handlers' rows, from the fields the policy inputs define.
    environment: policy === "deploy" ? stringAt(input, "environment") : null,
    ref: policy === "deploy" ? stringAt(input, "ref") : qualifiedBranch(stringAt(input, "base_ref")),
    sha: null,
    pr_number: null,
    actor: null,
  };
  return buildAuditRecord(subject, verdict, { bundleDigest: digest, durationMs, effect: { kind: "none", ok: true } });
}

function stringAt(input: Record<string, unknown>, key: string): string | null {
  const value = input[key];
  return typeof value === "string" && value !== "" ? value : null;
}

function qualifiedBranch(branch: string | null): string | null {
  return branch === null ? null : `refs/heads/${branch}`;
}
