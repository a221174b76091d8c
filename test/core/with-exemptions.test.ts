// The last step of a decision: organisation exemptions applied to the final verdict.
import { describe, expect, it } from "vitest";
import { withExemptions } from "../../src/core/with-exemptions.js";
import type { JudgedVerdict } from "../../src/core/with-findings.js";
import type { Violation } from "../../src/domain/verdict.js";
import type { OrgPolicyInForce } from "../../src/org/org-policy-in-force.js";

const exemption = { repository: "widgets", rules: ["approvals_required"], reason: "reviewers on leave", owner: "platform-team", expires: "2025-03-31" };
const org: OrgPolicyInForce = {
  repository: "acme/.github",
  configSha: null,
  defaults: { deploy: null, pullrequest: null },
  config: { version: 1, unconfigured_pull_requests: "skip", exemptions: [exemption] },
};
const approvals = { code: "approvals.insufficient", msg: "1 approval, 2 required", rule: "approvals_required" };
const signOff = { code: "signoff.missing", msg: "not signed off", rule: "signed_off" };
const judged = (violations: Violation[], outcome: JudgedVerdict["outcome"] = "deny"): JudgedVerdict => ({ outcome, violations, warnings: [] });
const context = { repository: "acme/widgets", environment: null, now: new Date("2025-03-10T00:00:00Z") };

describe("withExemptions", () => {
  it("turns a covered failure into a warning and a denial into an approval, listing the exemption used", () => {
    const verdict = withExemptions(judged([approvals]), org, context);
    expect(verdict).toMatchObject({ outcome: "allow", violations: [], exemptions: [{ owner: "platform-team", exempted: ["approvals.insufficient"] }] });
    expect(verdict.warnings[0]!.msg).toContain("exempted until 2025-03-31 by platform-team: reviewers on leave");
  });

  it("keeps the denial when another failure is not covered", () => {
    const verdict = withExemptions(judged([approvals, signOff]), org, context);
    expect(verdict).toMatchObject({ outcome: "deny", violations: [signOff] });
  });

  it("leaves an expired exemption's failure blocking, saying it expired, and records no use", () => {
    const verdict = withExemptions(judged([approvals]), org, { ...context, now: new Date("2025-04-01T00:00:00Z") });
    expect(verdict.outcome).toBe("deny");
    expect(verdict.violations[0]!.msg).toContain("the exemption granted by platform-team expired on 2025-03-31");
    expect(verdict.exemptions).toBeUndefined();
  });

  it("never turns an error into an approval", () => {
    const verdict = withExemptions(judged([approvals], "error"), org, context);
    expect(verdict).toMatchObject({ outcome: "error", violations: [approvals] });
  });
});
