import { describe, expect, it } from "vitest";
import { buildAuditRecord } from "../../src/audit/build-audit-record.js";

const subject = {
  delivery_id: "d-1",
  event: "deployment_protection_rule",
  action: "requested",
  policy: "deploy" as const,
  repository: "acme/widgets",
  installation_id: 7,
  environment: "production",
  ref: "refs/heads/main",
  sha: "a".repeat(40),
  pr_number: 12,
  actor: "carol",
};
const verdict = {
  outcome: "deny" as const,
  violations: [{ code: "tests.failed", msg: "Tests did not pass" }],
  warnings: [{ code: "signoff.missing", msg: "The deployment is not signed off", rule: "signed_off" }],
  input: { ref: "refs/heads/main" },
  configSha: "blob",
  error: null,
};

describe("buildAuditRecord", () => {
  it("records the subject, the verdict's outcome as the decision, its violations and warnings apart, and the effect", () => {
    const row = buildAuditRecord(subject, verdict, {
      bundleDigest: "sha256hex",
      durationMs: 12.5,
      effect: { kind: "deployment_callback", ok: true, status: 204 },
    });
    expect(row).toEqual({
      ...subject,
      decision: "deny",
      violations: verdict.violations,
      warnings: verdict.warnings,
      input: verdict.input,
      bundle_digest: "sha256hex",
      config_sha: "blob",
      duration_ms: 12.5,
      effect: { kind: "deployment_callback", ok: true, status: 204 },
      error: null,
    });
  });

  it.each([
    { durationMs: 0.0004, recorded: 0 },
    { durationMs: 0.1236, recorded: 0.124 },
    { durationMs: 41.99951, recorded: 42 },
  ])("keeps $durationMs ms to the microsecond as $recorded, whichever path decided", ({ durationMs, recorded }) => {
    expect(buildAuditRecord(subject, verdict, { bundleDigest: "d", durationMs, effect: { kind: "none", ok: true } }).duration_ms).toBe(recorded);
  });

  it("records no digest rather than an empty one", () => {
    expect(buildAuditRecord(subject, verdict, { bundleDigest: "", durationMs: 1, effect: { kind: "none", ok: true } }).bundle_digest).toBeNull();
  });
});
