// What an effect overwrites on GitHub. Two effects for one target race: an older verdict that GitHub
// failed to take and a newer one recorded since must not land in the wrong order, or a check run shows
// the stale conclusion. So a newer effect supersedes an older one still queued for the same target,
// and only one attempt per target is in flight at a time.
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { EffectRequest } from "../github/deliver-effect.js";

/** Check run: repository, head SHA and check name. Deployment: the callback's run and environment; a status report: that and its number. */
export function effectTarget(request: EffectRequest): string {
  if (request.kind === "check_run") {
    const { owner, repo, headSha, name } = request.target;
    return JSON.stringify(["check_run", owner.toLowerCase(), repo.toLowerCase(), headSha.toLowerCase(), name]);
  }
  if (request.kind === "deployment_status_report") {
    // Its own target per report number: a report never supersedes a decision waiting in the outbox (nor
    // an earlier report), and a decision never waits behind a report's attempt for the same target.
    const { owner, repo, runId, environment, number } = request.report;
    return JSON.stringify(["deployment_status_report", owner.toLowerCase(), repo.toLowerCase(), runId, environment.toLowerCase(), number]);
  }
  const { owner, repo, runId, environment } = request.review;
  // GitHub compares environment names without case.
  return JSON.stringify(["deployment", owner.toLowerCase(), repo.toLowerCase(), runId, environment.toLowerCase()]);
}

/** The effect written into the audit row of a superseded effect; the decision itself stays as it was. */
export function supersededOutcome(kind: EffectOutcome["kind"], newerAuditId: string): EffectOutcome {
  return {
    kind,
    ok: false,
    superseded_by: newerAuditId,
    error: `superseded: a newer decision for the same target (audit row ${newerAuditId}) replaced this one before it reached GitHub`,
  };
}
