import { describe, expect, it } from "vitest";
import { DEPLOYMENT_COMMENT_MAX_BYTES, renderDeploymentComment } from "../../src/github/render-deployment-comment.js";

const LINK = "https://repol.example.com/ui/deliveries/72d3162e-cc78-11e3-81ab-4c9367dc0958";
const many = Array.from({ length: 60 }, (_, i) => ({ code: "tests.failed", msg: `check number ${i} failed with a long explanation of why` }));

describe("renderDeploymentComment with a link to the decision page", () => {
  it("ends the comment with the link", () => {
    const comment = renderDeploymentComment({ outcome: "allow", environment: "production", violations: [], error: null, link: LINK });
    expect(comment).toBe(`repol approved the deployment to production: every rule passed.\nDetails: ${LINK}`);
  });

  it("keeps the link whole when the reasons are cut to fit the comment", () => {
    const comment = renderDeploymentComment({ outcome: "deny", environment: "production", violations: many, error: null, link: LINK });
    expect(Buffer.byteLength(comment, "utf8")).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_MAX_BYTES);
    expect(comment.endsWith(`\nDetails: ${LINK}`)).toBe(true);
    expect(comment).toContain("check number 0 failed");
  });

  it("leaves out a link so long it would crowd out the reasons", () => {
    const long = `https://repol.example.com/${"x".repeat(400)}`;
    const comment = renderDeploymentComment({ outcome: "deny", environment: "production", violations: many, error: null, link: long });
    expect(comment).not.toContain(long);
    expect(Buffer.byteLength(comment, "utf8")).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_MAX_BYTES);
  });
});

describe("renderDeploymentComment with warnings", () => {
  const approvals = { code: "approvals.insufficient", msg: "2 approvals required, 1 given (alice)", rule: "approvals_required" };
  const signoff = { code: "signoff.missing", msg: "The deployment is not signed off; production requires a sign-off", rule: "signed_off" };

  it("approves a deployment with only warnings and lists them, marked as warnings", () => {
    const comment = renderDeploymentComment({ outcome: "allow", environment: "production", violations: [], warnings: [approvals], error: null });
    expect(comment).toBe(
      "repol approved the deployment to production with 1 warning (rules set to warn do not block):\n- ⚠️ **approvals.insufficient**: 2 approvals required, 1 given (alice)",
    );
  });

  it("lists the warnings of a rejected deployment apart from, and after, its problems", () => {
    const comment = renderDeploymentComment({ outcome: "deny", environment: "production", violations: [signoff], warnings: [approvals], error: null });
    expect(comment).toBe(
      [
        "repol rejected the deployment to production (1 problem):",
        "- **signoff.missing**: The deployment is not signed off; production requires a sign-off",
        "1 warning, not blocking:",
        "- ⚠️ **approvals.insufficient**: 2 approvals required, 1 given (alice)",
      ].join("\n"),
    );
  });

  it("keeps the problems and the link when many warnings are cut to fit", () => {
    const warnings = Array.from({ length: 40 }, (_, i) => ({ ...approvals, msg: `warning number ${i} with a long explanation` }));
    const comment = renderDeploymentComment({ outcome: "deny", environment: "production", violations: [signoff], warnings, error: null, link: LINK });
    expect(Buffer.byteLength(comment, "utf8")).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_MAX_BYTES);
    expect(comment).toContain("**signoff.missing**");
    expect(comment).toContain("Truncated");
    expect(comment.endsWith(`\nDetails: ${LINK}`)).toBe(true);
  });
});
