// Replays deployment_protection_rule.requested through decideDeployment, the App's own decision code.
import { openSqliteStore } from "../audit/sqlite-store.js";
import type { AuditStore } from "../audit/store.js";
import type { RepoFacts } from "../github/repo-facts.js";
import { decideDeployment } from "../core/decide-deployment.js";
import { readDeploymentRequest, type DeploymentProtectionRulePayload } from "../webhooks/read-deployment-request.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import type { Settings } from "../settings.js";
import type { ReplayResult } from "./replay-result.js";

export interface DeploymentReplay {
  payload: Record<string, unknown>;
  facts: RepoFacts;
  engine: PolicyEngine;
  settings: Settings;
  now: Date;
  approvedToday: number;
}

export async function replayDeployment({ payload, facts, engine, settings, now, approvedToday }: DeploymentReplay): Promise<ReplayResult> {
  const deployment = payload as unknown as DeploymentProtectionRulePayload;
  const store = await replayStore(deployment, approvedToday, now);
  try {
    const verdict = await decideDeployment(deployment, facts, { engine, store, settings }, { now });
    const { request } = verdict;
    const ref = verdict.ref && verdict.ref !== request.ref ? `${request.ref} → ${verdict.ref}` : request.ref;
    return {
      event: "deployment_protection_rule.requested",
      policy: "deploy",
      headline: `deployment_protection_rule.requested ${request.repository} → ${request.environment ?? "?"} (ref ${ref ?? "?"}, sha ${request.sha?.slice(0, 7) ?? "?"})`,
      decision: verdict.decision,
      violations: verdict.violations,
      error: verdict.error,
      configSha: verdict.configSha,
      input: verdict.input,
      notes: [],
      details: { repository: request.repository, environment: request.environment, sha: request.sha, ref: verdict.ref ?? request.ref },
    };
  } finally {
    await store.close();
  }
}

// "Today" for max_deployments_per_day comes from the audit trail; a private in-memory trail holds the
// recorded number of approvals so the replay counts the way the App did.
async function replayStore(payload: DeploymentProtectionRulePayload, approvedToday: number, now: Date): Promise<AuditStore> {
  const store = openSqliteStore(":memory:", { clock: () => now });
  await store.migrate();
  const request = readDeploymentRequest(payload);
  for (let i = 0; i < approvedToday; i++) {
    await store.insert({
      delivery_id: `replay-${i}`,
      event: "deployment_protection_rule",
      action: "requested",
      policy: "deploy",
      decision: "allow",
      repository: request.repository,
      installation_id: null,
      environment: request.environment,
      ref: null,
      sha: null,
      pr_number: null,
      actor: null,
      violations: [],
      input: null,
      bundle_digest: null,
      config_sha: null,
      duration_ms: 0,
      effect: { kind: "none", ok: true },
      error: null,
    });
  }
  return store;
}
