import { describe, expect, it } from "vitest";
import { applyExemptions, type ExemptionContext } from "../../src/org/apply-exemptions.js";
import type { Violation } from "../../src/domain/verdict.js";
import type { Exemption } from "../../src/policy/load-org-config.js";

const approvals: Violation = { code: "approvals.insufficient", msg: "1 approval required, 0 given", rule: "approvals_required" };
const custom: Violation = { code: "deny", msg: "needs the change-approved label", package: "repol.deploy.change_ticket" };
const signOff: Violation = { code: "signoff.missing", msg: "not signed off", rule: "signed_off" };
const exemption = (patch: Partial<Exemption> = {}): Exemption => ({
  repository: "legacy-*",
  rules: ["approvals_required", "repol.deploy.change_ticket"],
  reason: "migrating the review flow",
  owner: "platform-team",
  expires: "2026-12-31",
  ...patch,
});
const context = (patch: Partial<ExemptionContext> = {}): ExemptionContext => ({
  repository: "acme/legacy-billing",
  environment: "production",
  now: new Date("2026-12-01T10:00:00Z"),
  ...patch,
});

describe("applyExemptions", () => {
  it("turns a covered rule into a warning naming owner, reason and expiry, and records the exemption", () => {
    const result = applyExemptions([approvals, signOff], [], [exemption()], context());
    expect(result.violations).toEqual([signOff]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: "approvals.insufficient",
        msg: "1 approval required, 0 given (exempted until 2026-12-31 by platform-team: migrating the review flow)",
      }),
    ]);
    expect(result.used).toEqual([{ ...exemption(), exempted: ["approvals.insufficient"] }]);
  });

  it("matches a custom finding by its package", () => {
    const result = applyExemptions([custom], [], [exemption()], context());
    expect(result.violations).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(["deny"]);
  });

  it("keeps the warnings the verdict already had", () => {
    const earlier: Violation = { code: "large", msg: "large pull request" };
    expect(applyExemptions([approvals], [earlier], [exemption()], context()).warnings[0]).toEqual(earlier);
  });

  it("applies through the last day and not after it, saying when it expired", () => {
    expect(applyExemptions([approvals], [], [exemption()], context({ now: new Date("2026-12-31T23:59:59Z") })).violations).toEqual([]);
    const after = applyExemptions([approvals], [], [exemption()], context({ now: new Date("2027-01-01T00:00:00Z") }));
    expect(after.violations).toEqual([
      expect.objectContaining({
        code: "approvals.insufficient",
        msg: "1 approval required, 0 given (the exemption granted by platform-team expired on 2026-12-31)",
      }),
    ]);
    expect(after.warnings).toEqual([]);
    expect(after.used).toEqual([]);
  });

  it.each([
    ["another repository", context({ repository: "acme/api" })],
    ["another environment", context({ environment: "staging" })],
    ["a pull request, for an exemption limited to environments", context({ environment: null })],
  ])("does not apply to %s", (_, ctx) => {
    const result = applyExemptions([approvals], [], [exemption({ environments: ["prod*"] })], ctx);
    expect(result.violations).toEqual([approvals]);
    expect(result.used).toEqual([]);
  });

  it("never exempts a problem with the config or the environment, even one naming an exempted rule", () => {
    const broken: Violation = { code: "schema.policy.approvals_required_invalid", msg: "bad", rule: "approvals_required" };
    const missing: Violation = { code: "env.missing", msg: "no such environment" };
    expect(applyExemptions([broken, missing], [], [exemption()], context()).violations).toEqual([broken, missing]);
  });

  it("prefers an exemption still in force over an expired one for the same rule", () => {
    const old = exemption({ expires: "2026-01-31", owner: "old-team" });
    const result = applyExemptions([approvals], [], [old, exemption()], context());
    expect(result.violations).toEqual([]);
    expect(result.used.map((u) => u.owner)).toEqual(["platform-team"]);
  });
});
