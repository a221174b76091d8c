// Replays deployment_protection_rule.requested through decideDeployment, the App's own decision code.
import { decideDeployment } from "../core/decide-deployment.js";
import type { DecisionFacts } from "../core/facts.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { readDeploymentRequest, type DeploymentProtectionRulePayload } from "../webhooks/read-deployment-request.js";
import { verdictFieldsOf, type ReplayResult } from "./replay-result.js";

export interface DeploymentReplay {
  payload: Record<string, unknown>;
  facts: DecisionFacts;
  engine: PolicyEngine;
  /** The GitHub API the webhook's callback URL must point at, as for the App. */
  githubApiUrl: string;
  now: Date;
}

export async function replayDeployment({ payload, facts, engine, githubApiUrl, now }: DeploymentReplay): Promise<ReplayResult> {
  const request = readDeploymentRequest(payload as unknown as DeploymentProtectionRulePayload, githubApiUrl);
  const verdict = await decideDeployment(request, facts, engine, { now });
  const ref = verdict.ref && verdict.ref !== request.ref ? `${request.ref} → ${verdict.ref}` : request.ref;
  return {
    event: "deployment_protection_rule.requested",
    policy: "deploy",
    headline: `deployment_protection_rule.requested ${request.repository} → ${request.environment ?? "?"} (ref ${ref ?? "?"}, sha ${request.sha?.slice(0, 7) ?? "?"})`,
    ...verdictFieldsOf(verdict),
    notes: [],
    details: { repository: request.repository, environment: request.environment, sha: request.sha, ref: verdict.ref ?? request.ref },
  };
}
