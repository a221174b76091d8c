// deployment_protection_rule.requested: read the request → gather facts → decide → record and answer.
// Every path ends in an answer (approved only when the policy allows) and one audit row.
import { buildAuditRecord } from "../audit/build-audit-record.js";
import type { NewAuditRecord } from "../audit/record.js";
import { decideDeployment, type DeploymentVerdict } from "../core/decide-deployment.js";
import { messageOf } from "../core/message-of.js";
import type { DeploymentRequest } from "../domain/deployment-request.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { EffectRequest } from "../github/deliver-effect.js";
import type { GitHub } from "../github/github-client.js";
import { renderDeploymentComment } from "../github/render-deployment-comment.js";
import { decisionLinkOf } from "../domain/decision-link.js";
import { alreadyDecided } from "../durability/already-decided.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import { readDeploymentRequest } from "../webhooks/read-deployment-request.js";
import { repositoryFacts } from "./repository-facts.js";
import { beginWaiting } from "./begin-waiting.js";
import { answerOrWait, subjectOf } from "./wait-for-evidence.js";
import type { EventHandler, HandlerDeps } from "./types.js";

export const handleDeploymentProtectionRule: EventHandler<"deployment_protection_rule.requested"> = async (context, deps) => {
  const started = performance.now();
  const deliveryId: string = context.id;
  if (await alreadyDecided(deps.store, deliveryId, context.log)) {
    context.log.info({ delivery: deliveryId }, "deployment_protection_rule: delivery already decided; not answering again");
    return;
  }
  const github: GitHub = context.octokit;
  const request = readDeploymentRequest(context.payload, deps.settings.githubApiUrl);
  const now = deps.clock?.now() ?? new Date();
  const judged = await decideSafely(request, github, deps, now);
  const next = deps.store.waiting ? answerOrWait(judged, now, now) : ({ kind: "answer", verdict: judged } as const);
  if (next.kind === "wait") {
    await beginWaiting({ deps, github, log: context.log, deliveryKey: deliveryId, verdict: judged, started }, request, next, now);
    return;
  }
  const { verdict } = next;
  if (verdict.outcome === "error") context.log.warn({ delivery: deliveryId, error: verdict.error }, "deployment rejected: repol could not evaluate it");
  const answer = answerOf(verdict, decisionLinkOf(deps.settings.publicUrl, deliveryId));
  const row = (effect: EffectOutcome) => auditRow(deliveryId, verdict, effect, deps, performance.now() - started);
  let effect: EffectOutcome;
  if ("review" in answer) {
    // Recorded with the callback queued in the outbox, then sent: a callback GitHub does not take now is sent later.
    const recordDeps = { store: deps.store, github, log: context.log, installationId: request.installationId, policy: retryPolicyOf(deps) };
    effect = (await recordAndDeliver(recordDeps, row({ kind: "deployment_callback", ok: false }), answer)).outcome;
  } else {
    effect = answer;
    await deps.store.insert(row(effect));
  }
  context.log.info(
    { delivery: deliveryId, repository: request.repository, environment: request.environment, decision: verdict.outcome, callback: effect.ok },
    "deployment_protection_rule decided",
  );
  // A callback that failed through the outbox was logged there, once; here only one that could not be made at all.
  if (!effect.ok && !("review" in answer)) {
    context.log.error({ delivery: deliveryId, effect }, "deployment_protection_rule: the answer did not reach GitHub (yet)");
  }
};

export async function decideSafely(
  request: DeploymentRequest,
  github: GitHub,
  deps: Pick<HandlerDeps, "store" | "engine" | "customRules" | "configs">,
  now: Date,
): Promise<DeploymentVerdict> {
  try {
    const repository = { owner: request.owner, repo: request.repo, fullName: request.repository };
    return await decideDeployment(request, repositoryFacts(github, deps, repository), deps.engine, {
      now,
      customRules: deps.customRules,
      configs: deps.configs,
    });
  } catch (error) {
    // decideDeployment turns failures into verdicts itself; should it ever throw, the deployment is
    // still answered (rejected) when the callback URL allows it, never left waiting.
    return { outcome: "error", error: messageOf(error), violations: [], warnings: [], input: null, request, ref: null, configSha: null };
  }
}

/** The callback that carries the verdict, or why none can be made. */
export function answerOf(verdict: DeploymentVerdict, link: string | null): Extract<EffectRequest, { kind: "deployment_callback" }> | EffectOutcome {
  const { callback, environment } = verdict.request;
  if (!callback.ok) return { kind: "deployment_callback", ok: false, error: `not called: ${callback.reason}` };
  if (environment === null) return { kind: "deployment_callback", ok: false, error: "not called: the webhook names no environment" };
  const { owner, repo, runId } = callback;
  const state = verdict.outcome === "allow" ? "approved" : "rejected";
  return {
    kind: "deployment_callback",
    review: { owner, repo, runId, environment, state, comment: renderDeploymentComment({ ...verdict, environment, link }) },
  };
}

export function auditRow(
  deliveryId: string,
  verdict: DeploymentVerdict,
  effect: EffectOutcome,
  deps: Pick<HandlerDeps, "engine">,
  durationMs: number,
): NewAuditRecord {
  return buildAuditRecord(subjectOf(deliveryId, verdict), verdict, { bundleDigest: deps.engine.digest, durationMs, effect });
}
