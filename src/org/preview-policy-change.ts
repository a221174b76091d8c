// What a proposed `.repol/` change would have decided: recorded decisions replayed with the proposed
// rules in place of the ones they were judged by, each listed as a flip (allow → deny, deny → allow)
// with the violations gained or lost, or as "cannot tell" when the recorded facts do not answer the
// new rules. Pure: the caller brings the rows, the engine and the clock; nothing here is enforced.
import { evaluateInput } from "../core/evaluate-input.js";
import type { RecordedDecision } from "../core/replay-decision.js";
import type { Violation } from "../domain/verdict.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { entryForEnvironment } from "../policy/environment-name.js";
import type { DeployConfig, PullRequestConfig } from "../policy/load-repo-config.js";
import { applyExemptions } from "./apply-exemptions.js";
import { effectiveDeployConfig } from "./effective-deploy-config.js";
import { effectivePullRequestConfig } from "./effective-pull-request-config.js";
import { missingFacts } from "./missing-facts.js";
import type { ProposedPolicy } from "./proposed-policy.js";
import { excludedDeploymentViolation, isInScope } from "./repository-scope.js";

/** The fields of an audit row a preview reads. */
export interface PreviewRow extends RecordedDecision {
  created_at: string;
  repository: string | null;
  environment: string | null;
  pr_number: number | null;
}

export type PreviewEntry =
  | { kind: "flip"; row: PreviewRow; to: "allow" | "deny"; gained: Violation[]; lost: Violation[] }
  | { kind: "cannot_tell"; row: PreviewRow; reason: string }
  | { kind: "same"; row: PreviewRow };

export interface PreviewReport {
  entries: PreviewEntry[];
  flips: number;
  cannotTell: number;
  same: number;
}

export function previewPolicyChange(policy: ProposedPolicy, rows: readonly PreviewRow[], engine: PolicyEngine, now: Date): PreviewReport {
  const entries = rows.flatMap((row) => {
    const entry = previewRow(policy, row, engine, now);
    return entry === null ? [] : [entry];
  });
  const count = (kind: PreviewEntry["kind"]) => entries.filter((e) => e.kind === kind).length;
  return { entries, flips: count("flip"), cannotTell: count("cannot_tell"), same: count("same") };
}

function previewRow(policy: ProposedPolicy, row: PreviewRow, engine: PolicyEngine, now: Date): PreviewEntry | null {
  const proposedFile = policy[row.policy];
  const changesRow = proposedFile !== null || (policy.org !== null && policy.mode === "organisation");
  if (!changesRow) return null;
  const cannotTell = (reason: string): PreviewEntry => ({ kind: "cannot_tell", row, reason });
  if (row.decision === "error") return cannotTell(`the recorded decision was an error (${row.error ?? "no reason recorded"})`);
  const input = row.input as Record<string, unknown> | null | undefined;
  if (input === null || input === undefined || typeof input !== "object")
    return cannotTell("the decision was recorded before the policy ran, so it holds no policy input");

  const repository = row.repository ?? "";
  if (policy.org !== null && !isInScope(repository, policy.org.scope)) {
    if (row.policy === "pullrequest") return cannotTell("the repository would be out of the organisation's scope, so pull requests would not be judged");
    return outcomeEntry(row, [excludedDeploymentViolation(repository, row.environment ?? "?")]);
  }
  const recordedConfig = (input.repo_policy ?? null) as DeployConfig | PullRequestConfig | null;
  // In an organisation change, a decision made under the organisation's default takes the proposed default;
  // one made under the repository's own file keeps it, raised to the proposed minimums.
  const usedDefault = policy.mode === "organisation" && input.policy_source === "organisation";
  const base = policy.mode === "repository" || usedDefault ? (proposedFile ?? recordedConfig) : recordedConfig;
  const minimums = policy.org?.minimums;
  const environment = String(input.environment ?? row.environment ?? "");
  const effective =
    row.policy === "deploy"
      ? effectiveDeployConfig(base as DeployConfig | null, null, minimums, environment).config
      : effectivePullRequestConfig(base as PullRequestConfig | null, null, minimums).config;
  if (effective === null) return cannotTell("no policy would apply to it");

  const missing = missingFacts(row.policy, rulesOf(effective, environment), recordedConfig === null ? null : rulesOf(recordedConfig, environment), input);
  if (missing.length > 0) return cannotTell(`the recorded input lacks ${missing.join(", ")}`);
  const verdict = evaluateInput(engine, row.policy, { ...input, repo_policy: effective });
  if (verdict.outcome === "error") return cannotTell(`the proposed policy could not evaluate the recorded input: ${verdict.error}`);
  const exempted = applyExemptions(verdict.violations, [], policy.org?.exemptions ?? [], {
    repository,
    environment: row.policy === "deploy" ? environment : null,
    now,
  });
  const allowed = verdict.outcome === "allow" || (verdict.violations.length > 0 && exempted.violations.length === 0);
  return outcomeEntry(row, allowed ? [] : exempted.violations, allowed);
}

function outcomeEntry(row: PreviewRow, blocking: Violation[], allowed = blocking.length === 0): PreviewEntry {
  const to = allowed ? "allow" : "deny";
  if (to === row.decision) return { kind: "same", row };
  const before = new Set(row.violations.map((v) => v.code));
  const after = new Set(blocking.map((v) => v.code));
  return { kind: "flip", row, to, gained: blocking.filter((v) => !before.has(v.code)), lost: row.violations.filter((v) => !after.has(v.code)) };
}

function rulesOf(config: DeployConfig | PullRequestConfig, environment: string): Record<string, unknown> {
  if ("environments" in config.policy) {
    const entry = entryForEnvironment((config as DeployConfig).policy.environments ?? {}, environment);
    return (entry?.rules ?? {}) as unknown as Record<string, unknown>;
  }
  return ((config as PullRequestConfig).policy.rules ?? {}) as unknown as Record<string, unknown>;
}
