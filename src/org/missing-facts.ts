// A recorded input holds the facts its own policy needed. A proposed policy may need more (a rule the
// old one did not enforce, a different list of required checks): judging without them would fail the
// rule and pass for a flip. So a replay first asks which facts the proposed rules need that the
// recorded input lacks, and reports "cannot tell" instead of a verdict when any is missing.
import type { PolicyName } from "../domain/policy-name.js";

/** Input paths a built-in rule reads, keyed by rule name. */
const FACTS_OF: Record<PolicyName, Record<string, string[]>> = {
  deploy: {
    approvals_required: ["workflow_meta.approvers"],
    allowed_branches: ["ref"],
    tests_passed: ["workflow_meta.checks.tests"],
    signed_off: ["workflow_meta.signed_off"],
    max_deployments_per_day: ["workflow_meta.deployments_today"],
    deploy_windows: ["now"],
    freeze: ["now"],
  },
  pullrequest: {
    allowed_target_branches: ["base_ref"],
    approvals_required: ["workflow_meta.approvers"],
    signed_off: ["workflow_meta.signed_off"],
    branch_rules: ["head_ref", "base_ref"],
  },
};

/**
 * The facts the proposed rules need that `input` lacks, as "path (for rule)". `recordedRules` are the
 * rules the input was gathered for: `tests` was judged against their `required_checks`, so a
 * different list needs check results the input does not have.
 */
export function missingFacts(
  policy: PolicyName,
  proposedRules: Record<string, unknown>,
  recordedRules: Record<string, unknown> | null,
  input: unknown,
): string[] {
  const missing: string[] = [];
  for (const [rule, value] of Object.entries(proposedRules)) {
    if (!enforces(value)) continue;
    for (const path of FACTS_OF[policy][rule] ?? []) if (valueAt(input, path) === undefined) missing.push(`${path} (for ${rule})`);
  }
  if (policy === "deploy" && proposedRules.tests_passed === true && !sameList(proposedRules.required_checks, recordedRules?.required_checks)) {
    missing.push("the results of each required check (required_checks changed)");
  }
  return missing;
}

// Mirrors the policy: an absent, null, false or 0-limit rule enforces nothing.
function enforces(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

function valueAt(data: unknown, path: string): unknown {
  let node = data;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node === null ? undefined : node;
}

function sameList(a: unknown, b: unknown): boolean {
  const list = (x: unknown) => (Array.isArray(x) ? [...(x as string[])].sort() : null);
  return JSON.stringify(list(a)) === JSON.stringify(list(b));
}
