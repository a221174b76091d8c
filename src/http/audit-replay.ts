// POST /audit/:id/replay — a recorded decision evaluated again under its own policy bundle and under
// the one running now (src/core/replay-decision.ts). Mounted by audit-router.ts behind its token.
import type { RequestHandler } from "express";
import type { AuditStore } from "../audit/store.js";
import { storedPolicyEngines } from "../audit/stored-policy-engines.js";
import { replayDecision } from "../core/replay-decision.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { findAuditRecord } from "./find-audit-record.js";

// A row without input is a request the server understood but cannot act on (422); a bundle it
// lacks is a conflict with the state of the store (409), which keeping bundles from now on cures.
const STATUS_OF = { not_replayable: 422, bundle_unavailable: 409 } as const;

export function replayRoute(store: AuditStore, current: PolicyEngine): RequestHandler {
  const byDigest = storedPolicyEngines(store.policyBundles, current);
  return async (req, res) => {
    const record = await findAuditRecord(store, String(req.params.id), res);
    if (!record) return;
    const outcome = await replayDecision(record, { current, byDigest });
    if (!outcome.ok) {
      res.status(STATUS_OF[outcome.error]).json({ error: outcome.error, message: outcome.message });
      return;
    }
    res.json(outcome.replay);
  };
}
