// deployment_protection_rule.requested: decide, answer GitHub, record. Every path ends in an answer
// (approved only when the policy allows) and one audit row.
import type { EffectOutcome, NewAuditRecord } from "../audit/record.js";
import type { EffectRequest } from "../github/deliver-effect.js";
import { parseCallbackUrl } from "../github/deployment-callback.js";
import type { GitHub } from "../github/github-client.js";
import { renderDeploymentComment } from "../github/render-deployment-comment.js";
import { octokitRepoFacts } from "../github/repo-facts.js";
import { alreadyDecided } from "../durability/already-decided.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import { decideDeployment, type DeploymentVerdict } from "./decide-deployment.js";
import { readDeploymentRequest, type DeploymentProtectionRulePayload } from "./deployment-payload.js";
import type { EventHandler, HandlerDeps } from "./types.js";

export { decideDeployment } from "./decide-deployment.js";
export type { DeployInput, DeploymentVerdict, DecideOptions } from "./decide-deployment.js";

export const handleDeploymentProtectionRule: EventHandler = async (context, deps) => {
  const started = performance.now();
  const deliveryId: string = context.id;
  if (await alreadyDecided(deps.store, deliveryId, context.log)) {
    context.log.info({ delivery: deliveryId }, "deployment_protection_rule: delivery already decided; not answering again");
    return;
  }
  const payload = context.payload as DeploymentProtectionRulePayload;
  const github = context.octokit as GitHub;
  const verdict = await decideSafely(payload, github, deps);
  const callback = callbackOf(verdict);
  const durationMs = performance.now() - started;
  let effect: EffectOutcome;
  if ("review" in callback) {
    // Recorded with the callback queued in the outbox, then sent: a callback GitHub does not take now is sent later.
    const row = auditRow(deliveryId, verdict, { kind: "deployment_callback", ok: false }, deps, durationMs);
    effect = (await recordAndDeliver({ store: deps.store, github, log: context.log, installationId: verdict.request.installationId, policy: retryPolicyOf(deps) }, row, callback)).outcome;
  } else {
    effect = callback;
    await deps.store.insert(auditRow(deliveryId, verdict, effect, deps, durationMs));
  }
  context.log.info(
    { delivery: deliveryId, repository: verdict.request.repository, environment: verdict.request.environment, decision: verdict.decision, callback: effect.ok },
    "deployment_protection_rule decided",
  );
  if (verdict.decision === "error") context.log.warn({ delivery: deliveryId, error: verdict.error }, "deployment rejected: repol could not evaluate it");
  if (!effect.ok) context.log.error({ delivery: deliveryId, effect }, "deployment_protection_rule: the answer did not reach GitHub (yet)");
};

async function decideSafely(payload: DeploymentProtectionRulePayload, github: GitHub, deps: HandlerDeps): Promise<DeploymentVerdict> {
  const request = readDeploymentRequest(payload);
  try {
    const facts = octokitRepoFacts(github, { owner: request.owner, repo: request.repo, defaultBranch: request.defaultBranch ?? undefined });
    return await decideDeployment(payload, facts, deps);
  } catch (error) {
    // decideDeployment turns failures into verdicts itself; should it ever throw, the deployment is
    // still answered (rejected) when the callback URL allows it, never left waiting.
    const message = error instanceof Error ? error.message : String(error);
    const callback = parseCallbackUrl(request.callbackUrl, deps.settings.githubApiUrl, request.owner, request.repo);
    return { decision: "error", error: message, violations: [], input: null, request, ref: null, configSha: null, callback };
  }
}

/** The callback that carries the verdict, or why none can be made. */
function callbackOf(verdict: DeploymentVerdict): Extract<EffectRequest, { kind: "deployment_callback" }> | EffectOutcome {
  if (!verdict.callback.ok) return { kind: "deployment_callback", ok: false, error: `not called: ${verdict.callback.reason}` };
  const environment = verdict.request.environment;
  if (environment === null) return { kind: "deployment_callback", ok: false, error: "not called: the webhook names no environment" };
  const { owner, repo, runId } = verdict.callback;
  return {
    kind: "deployment_callback",
    review: {
      owner,
      repo,
      runId,
      environment,
      state: verdict.decision === "allow" ? "approved" : "rejected",
      comment: renderDeploymentComment({ ...verdict, environment }),
    },
  };
}

function auditRow(deliveryId: string, verdict: DeploymentVerdict, effect: EffectOutcome, deps: HandlerDeps, durationMs: number): NewAuditRecord {
  const { request } = verdict;
  return {
    delivery_id: deliveryId,
    event: "deployment_protection_rule",
    action: "requested",
    policy: "deploy",
    decision: verdict.decision,
    repository: request.repository || null,
    installation_id: request.installationId,
    environment: request.environment,
    ref: verdict.ref ?? request.ref,
    sha: request.sha,
    pr_number: request.pulls[0]?.number ?? null,
    actor: request.actor,
    violations: verdict.violations,
    input: verdict.input,
    bundle_digest: deps.engine.digest,
    config_sha: verdict.configSha,
    duration_ms: Math.round(durationMs),
    effect,
    error: verdict.error,
  };
}
