import { describe, expect, it } from "vitest";
import { DEPLOYMENT_COMMENT_MAX_BYTES, renderDeploymentComment } from "../../src/github/render-deployment-comment.js";
import { escapeMarkdown, renderViolations } from "../../src/github/render-violations.js";

describe("renderViolations", () => {
  it("renders one bullet per violation with its code and message", () => {
    expect(
      renderViolations([
        { code: "approvals.insufficient", msg: "2 approvals required, 1 given (bob)" },
        { code: "ref.denied", msg: "Branch dev may not deploy to production (allowed_branches: main)" },
      ]),
    ).toBe(
      "- **approvals.insufficient**: 2 approvals required, 1 given (bob)\n- **ref.denied**: Branch dev may not deploy to production (allowed_branches: main)",
    );
  });

  it.each([
    [
      "its own code",
      { code: "labels.missing", msg: "add the label", package: "repol.deploy.labels" },
      "- **labels.missing**: add the label (repol.deploy.labels)",
    ],
    [
      "the default code, which already names the package",
      { code: "custom.repol.deploy.labels", msg: "add the label", package: "repol.deploy.labels" },
      "- **custom.repol.deploy.labels**: add the label",
    ],
    [
      "the organisation's rules",
      { code: "custom.repol.deploy.o", msg: "no", package: "repol.deploy.o", organisation: "acme/.github" },
      "- **custom.repol.deploy.o**: no (organisation acme/.github)",
    ],
  ])("names where a custom rule's finding with %s came from", (_case, finding, expected) => {
    expect(renderViolations([finding])).toBe(expected);
  });

  it("appends the facts behind a violation when it carries a detail", () => {
    expect(renderViolations([{ code: "tests.failed", msg: "Tests did not pass", detail: "failing: lint (failure)" }])).toBe(
      "- **tests.failed**: Tests did not pass (failing: lint (failure))",
    );
  });

  it("renders nothing for no violations", () => {
    expect(renderViolations([])).toBe("");
  });
});

describe("escapeMarkdown", () => {
  it.each([
    { text: "[click](https://evil.example.com)", out: "\\[click\\](https://evil.example.com)" },
    { text: "<img src=x onerror=alert(1)>", out: "\\<img src=x onerror=alert(1)\\>" },
    { text: "a | b", out: "a \\| b" },
    { text: "line one\nline two", out: "line one line two" },
    { text: "ping @octocat and @acme/admins", out: "ping @\u200boctocat and @\u200bacme/admins" },
    { text: "mail alice@example.com", out: "mail alice@example.com" },
    { text: "`approvals_required` must be ≥ 0", out: "`approvals_required` must be ≥ 0" },
  ])("makes $text harmless", ({ text, out }) => {
    expect(escapeMarkdown(text)).toBe(out);
  });
});

describe("renderDeploymentComment", () => {
  it("says an approved deployment passed every rule", () => {
    expect(renderDeploymentComment({ outcome: "allow", environment: "production", violations: [], error: null })).toBe(
      "repol approved the deployment to production: every rule passed.",
    );
  });

  it("lists each violation of a rejected deployment", () => {
    const comment = renderDeploymentComment({
      outcome: "deny",
      environment: "production",
      violations: [{ code: "signoff.missing", msg: "The deployment is not signed off" }],
      error: null,
    });
    expect(comment).toBe("repol rejected the deployment to production (1 problem):\n- **signoff.missing**: The deployment is not signed off");
  });

  it("gives the reason when repol could not evaluate", () => {
    const comment = renderDeploymentComment({
      outcome: "error",
      environment: "production",
      violations: [],
      error: "GitHub answered 500 while listing environments",
    });
    expect(comment).toContain("could not evaluate it: GitHub answered 500 while listing environments");
  });

  it("cuts a long comment to the limit with a note, on a character boundary", () => {
    const violations = Array.from({ length: 40 }, (_, i) => ({ code: "config.invalid", msg: `.repol/deploy.yaml:${i + 1}:3: “bad” value ✗ number ${i}` }));
    const comment = renderDeploymentComment({ outcome: "deny", environment: "production", violations, error: null });
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_MAX_BYTES);
    expect(comment).toContain("Truncated");
    expect(comment).not.toContain("\uFFFD");
    expect(comment.startsWith("repol rejected the deployment to production (40 problems):")).toBe(true);
  });
});
