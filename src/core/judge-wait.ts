// Whether a deployment that failed its gate may wait for evidence instead of being rejected now.
// Pure: the verdict, the environment's wait settings and two instants arrive as data.
import type { Violation, VerdictOutcome } from "../domain/verdict.js";
import type { WaitConfig } from "../policy/wait-config.js";
import type { ChecksVerdict } from "./judge-checks.js";

export interface WaitableVerdict {
  outcome: VerdictOutcome;
  violations: readonly Violation[];
  /** How each check stands; null when the checks were not judged (then none is known to have failed). */
  checks: ChecksVerdict | null;
}

export type WaitJudgement =
  /** Answer with the verdict as it is: approved, rejected by a rule outside `wait.for`, or not waiting at all. */
  | { kind: "decide"; why: "no_wait" | "not_denied" | "rule_not_waitable" }
  /** A waited-for rule can no longer pass within the wait; reject now. */
  | { kind: "reject"; why: "check_failed" | "window_beyond_max" | "max_expired"; missing: string[]; message: string }
  /**
   * Only waited-for rules fail and each may still pass: post `missing` as a status report, answer later.
   * `opensAt`: when the closed deployment window opens, the moment to judge it again.
   */
  | { kind: "wait"; missing: string[]; deadline: Date; opensAt?: Date };

/** The rule each waitable violation code belongs to, for violations that do not name their rule. */
const RULE_OF_CODE: Record<string, string> = {
  "tests.failed": "tests_passed",
  "approvals.insufficient": "approvals_required",
  "window.closed": "deploy_windows",
};

export function judgeWait(verdict: WaitableVerdict, wait: WaitConfig | null, requestedAt: Date, now: Date): WaitJudgement {
  if (wait === null) return { kind: "decide", why: "no_wait" };
  if (verdict.outcome !== "deny" || verdict.violations.length === 0) return { kind: "decide", why: "not_denied" };
  const waitable = new Set<string>(wait.for);
  if (verdict.violations.some((violation) => !waitable.has(ruleOf(violation)))) return { kind: "decide", why: "rule_not_waitable" };

  const deadline = new Date(requestedAt.getTime() + wait.maxMs);
  const missing = verdict.violations.flatMap((violation) => missingFor(violation, verdict.checks));
  const failedChecks = ruleFails(verdict, "tests_passed") ? (verdict.checks?.checks ?? []).filter((check) => check.outcome === "failed") : [];
  if (failedChecks.length > 0) {
    const names = failedChecks.map((check) => `${check.name} (${check.state})`).join(", ");
    return { kind: "reject", why: "check_failed", missing, message: `a check the deployment waited for concluded without passing: ${names}` };
  }
  const opensAt = windowOpensAt(verdict.violations);
  if (opensAt !== null && opensAt.getTime() > deadline.getTime()) {
    const message = `the deployment window opens at ${opensAt.toISOString()}, after the longest wait ends (${deadline.toISOString()})`;
    return { kind: "reject", why: "window_beyond_max", missing, message };
  }
  if (now.getTime() >= deadline.getTime()) {
    return { kind: "reject", why: "max_expired", missing, message: `waited until ${deadline.toISOString()}, still ${missing.join("; ")}` };
  }
  return { kind: "wait", missing, deadline, ...(opensAt === null ? {} : { opensAt }) };
}

/** The status report's text: "waiting for checks: e2e (in_progress); 1 more approval". */
export function waitingReport(missing: readonly string[]): string {
  return `waiting for ${missing.join("; ")}`;
}

function ruleOf(violation: Violation): string {
  return typeof violation.rule === "string" ? violation.rule : (RULE_OF_CODE[violation.code] ?? violation.code);
}

function ruleFails(verdict: WaitableVerdict, rule: string): boolean {
  return verdict.violations.some((violation) => ruleOf(violation) === rule);
}

// Each entry is stable text, so a changed list (and only a changed list) is worth a new report.
function missingFor(violation: Violation, checks: ChecksVerdict | null): string[] {
  switch (ruleOf(violation)) {
    case "tests_passed":
      return [checksMissing(checks)];
    case "approvals_required": {
      const short = Number(violation.required) - Number(violation.actual);
      return [Number.isFinite(short) && short > 0 ? `${short} more approval${short === 1 ? "" : "s"}` : "approvals"];
    }
    case "deploy_windows": {
      const opensAt = windowOpensAt([violation]);
      return [opensAt === null ? "the deployment window to open" : `the deployment window to open at ${opensAt.toISOString()}`];
    }
    default:
      return [violation.msg];
  }
}

function checksMissing(checks: ChecksVerdict | null): string {
  if (checks === null) return "checks";
  const pending = checks.checks.filter((check) => check.outcome === "pending").map((check) => `${check.name} (${check.state})`);
  const unreported = checks.missing.map((name) => `${name} (not reported)`);
  const named = [...pending, ...unreported];
  return named.length > 0 ? `checks: ${named.join(", ")}` : "checks to be reported";
}

/**
 * When a closed window opens, if the window rule said so (`next_open.utc`, RFC 3339). Without it the
 * deployment is re-checked on every sweep until the window opens or the wait ends.
 */
function windowOpensAt(violations: readonly Violation[]): Date | null {
  const closed = violations.find((violation) => violation.code === "window.closed");
  const next = closed?.next_open as { utc?: unknown } | null | undefined;
  const opensAt = next?.utc;
  if (typeof opensAt !== "string") return null;
  const at = new Date(opensAt);
  return Number.isNaN(at.getTime()) ? null : at;
}
