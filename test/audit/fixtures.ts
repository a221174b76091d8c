// Builders for audit rows and a clock the tests move by hand.
import type { NewAuditRecord } from "../../src/audit/record.js";

export function auditRow(overrides: Partial<NewAuditRecord> = {}): NewAuditRecord {
  return {
    delivery_id: null,
    event: "deployment_protection_rule",
    action: "requested",
    policy: "deploy",
    decision: "allow",
    repository: "acme/shop",
    installation_id: 41_234_567,
    environment: "production",
    ref: "refs/heads/main",
    sha: "9fceb02d0ae598e95dc970b74767f19372d61af8",
    pr_number: null,
    actor: "octocat",
    violations: [],
    warnings: [],
    input: { environment: { name: "production" }, approvals: ["hubot"], nested: { n: 1.5, ok: true, none: null } },
    bundle_digest: "sha256:4b1e9f0c3c2d",
    config_sha: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
    duration_ms: 12.5,
    effect: { kind: "deployment_callback", ok: true, status: 204 },
    error: null,
    ...overrides,
  };
}

export class TestClock {
  private ms: number;

  constructor(start = "2025-03-01T12:00:00.000Z") {
    this.ms = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.ms);

  set(iso: string): void {
    this.ms = Date.parse(iso);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  iso(): string {
    return new Date(this.ms).toISOString();
  }
}
