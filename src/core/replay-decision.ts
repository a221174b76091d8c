// Evaluates a recorded decision's input again, under the policy bundle that made it and under the
// one in force now. The first must agree with the record (else the difference is the finding); the
// second shows what the current policy would change. Never throws: what cannot be replayed is a value.
import type { PolicyName } from "../domain/policy-name.js";
import type { Violation, VerdictOutcome } from "../domain/verdict.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { evaluateInput } from "./evaluate-input.js";

/** The fields of an audit row a replay reads. */
export interface RecordedDecision {
  id: string;
  policy: PolicyName;
  decision: VerdictOutcome;
  violations: Violation[];
  warnings: Violation[];
  /** null when the row was written before the policy ran (config missing, GitHub unreachable). */
  input: unknown;
  bundle_digest: string | null;
  /** Why the decision was "error". */
  error: string | null;
}

export type EngineLookup = { ok: true; engine: PolicyEngine } | { ok: false; message: string };

export interface ReplayEngines {
  current: PolicyEngine;
  /** The bundle with this digest, from wherever bundles are kept. */
  byDigest(digest: string): Promise<EngineLookup>;
}

/** How a replayed decision differs from the recorded one; violations and warnings are compared by code. */
export interface DecisionChanges {
  decision: { recorded: VerdictOutcome; replayed: VerdictOutcome } | null;
  violations_added: string[];
  violations_removed: string[];
  warnings_added: string[];
  warnings_removed: string[];
}

export interface ReplayedDecision {
  digest: string;
  decision: VerdictOutcome;
  violations: Violation[];
  warnings: Violation[];
  /** Why the bundle could not evaluate the input, when decision is "error". */
  error: string | null;
  same: boolean;
  changes: DecisionChanges;
}

export interface DecisionReplay {
  id: string;
  policy: PolicyName;
  recorded: { digest: string; decision: VerdictOutcome; violations: Violation[]; warnings: Violation[] };
  under_recorded_policy: ReplayedDecision;
  under_current_policy: ReplayedDecision;
}

export type ReplayOutcome = { ok: true; replay: DecisionReplay } | { ok: false; error: "not_replayable" | "bundle_unavailable"; message: string };

export async function replayDecision(row: RecordedDecision, engines: ReplayEngines): Promise<ReplayOutcome> {
  if (row.input === null || row.input === undefined) {
    return {
      ok: false,
      error: "not_replayable",
      message: `audit record ${row.id} cannot be replayed: it was recorded before the policy ran (${row.decision}: ${summary(row)}), so it holds no policy input`,
    };
  }
  if (!row.bundle_digest) {
    return { ok: false, error: "not_replayable", message: `audit record ${row.id} cannot be replayed: it does not record which policy bundle decided it` };
  }
  const recordedEngine = await engines.byDigest(row.bundle_digest);
  if (!recordedEngine.ok) return { ok: false, error: "bundle_unavailable", message: `audit record ${row.id} cannot be replayed: ${recordedEngine.message}` };
  return {
    ok: true,
    replay: {
      id: row.id,
      policy: row.policy,
      recorded: { digest: row.bundle_digest, decision: row.decision, violations: row.violations, warnings: row.warnings },
      under_recorded_policy: evaluateAgain(row, recordedEngine.engine),
      under_current_policy: evaluateAgain(row, engines.current),
    },
  };
}

function evaluateAgain(row: RecordedDecision, engine: PolicyEngine): ReplayedDecision {
  const verdict = evaluateInput(engine, row.policy, row.input);
  const violations = codeChanges(row.violations, verdict.violations);
  const warnings = codeChanges(row.warnings, verdict.warnings);
  const changes: DecisionChanges = {
    decision: verdict.outcome === row.decision ? null : { recorded: row.decision, replayed: verdict.outcome },
    violations_added: violations.added,
    violations_removed: violations.removed,
    warnings_added: warnings.added,
    warnings_removed: warnings.removed,
  };
  const same = changes.decision === null && [violations, warnings].every(({ added, removed }) => added.length === 0 && removed.length === 0);
  return { digest: engine.digest, decision: verdict.outcome, violations: verdict.violations, warnings: verdict.warnings, error: verdict.error, same, changes };
}

function codeChanges(recorded: Violation[], replayed: Violation[]): { added: string[]; removed: string[] } {
  const before = codesOf(recorded);
  const after = codesOf(replayed);
  return { added: after.filter((code) => !before.includes(code)), removed: before.filter((code) => !after.includes(code)) };
}

const codesOf = (violations: Violation[]): string[] => [...new Set(violations.map((violation) => violation.code))].sort();

function summary(row: RecordedDecision): string {
  if (row.error) return row.error;
  const codes = codesOf(row.violations);
  return codes.length > 0 ? codes.join(", ") : "no violation recorded";
}
