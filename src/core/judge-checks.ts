// Whether the checks on a commit passed: check runs (latest per name) and commit statuses (latest per
// context), judged from what GitHub lists. Pure: the facts arrive as data.

export interface ChecksOptions {
  /** The workflow run waiting on this deployment gate: its unfinished jobs cannot finish before we answer. */
  excludeRunId?: number | null;
  /** When non-empty, only these check/status names count, and each must exist. */
  requiredChecks?: readonly string[] | null;
}

export type CheckOutcome = "passed" | "failed" | "pending";

export interface CheckEntry {
  name: string;
  source: "check_run" | "status";
  outcome: CheckOutcome;
  /** GitHub's own word for it: a conclusion, a status or a commit status state. */
  state: string;
}

export interface ChecksVerdict {
  passed: boolean;
  /** One sentence a user can act on, e.g. "failing: lint (failure); missing: e2e". */
  reason: string;
  checks: CheckEntry[];
  missing: string[];
}

/** workflow_meta.checks in the deploy input: the verdict, and which checks can still change it. */
export interface ChecksFacts {
  tests: boolean;
  /** Reported but not finished: these may still pass. */
  pending: string[];
  /** Finished without passing: the verdict cannot turn into a pass on this commit. */
  failed: string[];
  /** Required but not reported yet. */
  missing: string[];
}

export function checksFacts(verdict: ChecksVerdict): ChecksFacts {
  const named = (outcome: CheckOutcome) => verdict.checks.filter((entry) => entry.outcome === outcome).map((entry) => entry.name);
  return { tests: verdict.passed, pending: named("pending"), failed: named("failed"), missing: verdict.missing };
}

export interface CheckRunLike {
  name: string;
  status: string;
  conclusion: string | null;
  details_url?: string | null;
  html_url?: string | null;
}

export interface CommitStatusLike {
  id: number;
  context: string;
  state: string;
}

const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

/**
 * With no required names, zero checks is NOT a pass: "tests passed" must mean something ran and
 * passed, and an empty list is just as likely CI not having started yet.
 */
export function judgeChecks(
  checkRuns: readonly CheckRunLike[],
  statuses: readonly CommitStatusLike[],
  { excludeRunId = null, requiredChecks = null }: ChecksOptions = {},
): ChecksVerdict {
  const fromRuns: CheckEntry[] = checkRuns
    // The waiting run's finished jobs are judged like any other; only its unfinished ones (the gated
    // job itself, jobs running beside it) are left out, since they cannot finish while we decide.
    .filter((run) => !(run.status !== "completed" && excludeRunId !== null && runIdOf(run) === excludeRunId))
    .map((run) => ({
      name: run.name,
      source: "check_run",
      state: run.status === "completed" ? (run.conclusion ?? "unknown") : run.status,
      outcome: outcomeOfRun(run),
    }));
  const fromStatuses: CheckEntry[] = latestPerContext(statuses).map((status) => ({
    name: status.context,
    source: "status",
    state: status.state,
    outcome: status.state === "success" ? "passed" : status.state === "pending" ? "pending" : "failed",
  }));
  const all = [...fromRuns, ...fromStatuses];
  const required = [...new Set(requiredChecks ?? [])];
  const checks = required.length > 0 ? all.filter((entry) => required.includes(entry.name)) : all;
  const missing = required.filter((name) => !checks.some((entry) => entry.name === name));
  const notPassed = checks.filter((entry) => entry.outcome !== "passed");
  const passed = checks.length > 0 && missing.length === 0 && notPassed.length === 0;
  return { passed, reason: reasonFor(checks, notPassed, missing, required.length > 0), checks, missing };
}

export function runIdOf(run: Pick<CheckRunLike, "details_url" | "html_url">): number | null {
  for (const url of [run.details_url, run.html_url]) {
    const match = /\/actions\/runs\/(\d+)(?:[/?#]|$)/.exec(url ?? "");
    if (match) return Number(match[1]);
  }
  return null;
}

function outcomeOfRun(run: CheckRunLike): CheckOutcome {
  if (run.status !== "completed") return "pending";
  return run.conclusion !== null && PASSING_CONCLUSIONS.has(run.conclusion) ? "passed" : "failed";
}

// The statuses list holds every status ever posted, newest first; only the latest per context counts.
function latestPerContext(statuses: readonly CommitStatusLike[]): CommitStatusLike[] {
  const latest = new Map<string, CommitStatusLike>();
  for (const status of statuses) {
    const seen = latest.get(status.context);
    if (!seen || status.id > seen.id) latest.set(status.context, status);
  }
  return [...latest.values()];
}

function reasonFor(checks: CheckEntry[], notPassed: CheckEntry[], missing: string[], narrowed: boolean): string {
  if (checks.length === 0 && missing.length === 0) return "no check runs or commit statuses were reported on this commit";
  const parts: string[] = [];
  const failing = notPassed.filter((entry) => entry.outcome === "failed");
  const pending = notPassed.filter((entry) => entry.outcome === "pending");
  if (failing.length > 0) parts.push(`failing: ${listOf(failing)}`);
  if (pending.length > 0) parts.push(`not finished: ${listOf(pending)}`);
  if (missing.length > 0) parts.push(`required but not reported: ${missing.join(", ")}`);
  if (parts.length > 0) return parts.join("; ");
  return narrowed ? `all ${checks.length} required checks passed` : `all ${checks.length} checks passed`;
}

function listOf(entries: CheckEntry[]): string {
  const shown = entries.slice(0, 10).map((entry) => `${entry.name} (${entry.state})`);
  return entries.length > 10 ? `${shown.join(", ")} and ${entries.length - 10} more` : shown.join(", ");
}
