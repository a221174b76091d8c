import { describe, expect, it } from "vitest";
import type { Violation } from "../../src/domain/verdict.js";
import { withFindings, type JudgedVerdict } from "../../src/core/with-findings.js";

const approvals: Violation = { code: "approvals.insufficient", msg: "2 approvals required, 1 given (alice)", rule: "approvals_required" };
const custom: Violation = { code: "custom.deny", msg: "production needs the deploy label", package: "repol.deploy.labels" };
const large: Violation = { code: "custom.warn", msg: "this pull request changes 900 lines", package: "repol.pullrequest.size" };

const verdict = (outcome: JudgedVerdict["outcome"], violations: Violation[] = [], warnings: Violation[] = []) => ({
  outcome,
  violations,
  warnings,
  configSha: "abc",
});

describe("withFindings", () => {
  it("denies an allowed verdict once a blocking finding joins it", () => {
    const merged = withFindings(verdict("allow"), { blocking: [custom], warnings: [] });
    expect(merged).toEqual({ outcome: "deny", violations: [custom], warnings: [], configSha: "abc" });
  });

  it("leaves an allowed verdict allowed when only warnings join it, listing them apart", () => {
    const merged = withFindings(verdict("allow", [], [approvals]), { blocking: [], warnings: [large] });
    expect(merged.outcome).toBe("allow");
    expect(merged.violations).toEqual([]);
    expect(merged.warnings).toEqual([approvals, large]);
  });

  it("keeps a denial denied whatever joins it", () => {
    expect(withFindings(verdict("deny", [approvals]), { blocking: [], warnings: [large] })).toMatchObject({
      outcome: "deny",
      violations: [approvals],
      warnings: [large],
    });
  });

  it("never turns a verdict repol could not reach into a decision", () => {
    expect(withFindings(verdict("error"), { blocking: [], warnings: [large] }).outcome).toBe("error");
    expect(withFindings(verdict("error"), { blocking: [custom], warnings: [] }).outcome).toBe("error");
  });

  it("leaves the verdict it was given unchanged", () => {
    const original = verdict("allow", [], [approvals]);
    withFindings(original, { blocking: [custom], warnings: [large] });
    expect(original).toEqual(verdict("allow", [], [approvals]));
  });
});
