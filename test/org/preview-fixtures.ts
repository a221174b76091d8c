// Recorded deployment decisions as the App writes them, for the preview tests.
import type { NewAuditRecord } from "../../src/audit/record.js";
import { auditRow } from "../audit/fixtures.js";

export const deployYaml = (rules: string) => `policy:\n  version: 1\n  environments:\n    production:\n      rules: {${rules}}\n`;

export interface RecordedDeployment {
  repository?: string;
  approvers?: string[];
  signedOff?: boolean | null;
  tests?: boolean;
  rules?: Record<string, unknown>;
  decision?: "allow" | "deny" | "error";
  violations?: NewAuditRecord["violations"];
}

export function recordedDeployment({
  repository = "acme/shop",
  approvers = ["alice"],
  signedOff = true,
  tests = true,
  rules = { approvals_required: 1, allowed_branches: null, tests_passed: false, signed_off: false },
  decision = "allow",
  violations = [],
}: RecordedDeployment = {}): NewAuditRecord {
  const meta: Record<string, unknown> = { approvers, checks: { tests }, deployments_today: 1 };
  if (signedOff !== null) meta.signed_off = signedOff;
  return auditRow({
    repository,
    decision,
    violations,
    input: {
      environment: "production",
      ref: "refs/heads/main",
      repo_environments: ["production"],
      workflow_meta: meta,
      repo_policy: { policy: { version: 1, environments: { production: { enabled: true, rules } } } },
      commit_source: "deployment",
    },
  });
}
