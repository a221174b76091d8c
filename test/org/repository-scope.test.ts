import { describe, expect, it } from "vitest";
import { excludedDeploymentViolation, isInScope, unconfiguredPullRequestAnswer } from "../../src/org/repository-scope.js";

describe("isInScope", () => {
  it.each([
    ["no scope judges every repository", undefined, "acme/api", true],
    ["include matches the name without the owner", { include: ["api*"] }, "acme/api-gateway", true],
    ["a name include does not list is out", { include: ["api*"] }, "acme/web", false],
    ["exclude wins over include", { include: ["*"], exclude: ["sandbox-*"] }, "acme/sandbox-1", false],
    ["exclude alone leaves the rest in", { exclude: ["sandbox-*"] }, "acme/api", true],
    ["names match without case, as GitHub's do", { exclude: ["Sandbox-*"] }, "acme/SANDBOX-2", false],
    ["an empty include judges nothing", { include: [] }, "acme/api", false],
  ])("%s", (_, scope, repo, expected) => {
    expect(isInScope(repo, scope)).toBe(expected);
  });
});

describe("answers for repositories repol does not judge", () => {
  it("rejects a deployment on an excluded repository with a message saying it is excluded", () => {
    const violation = excludedDeploymentViolation("acme/sandbox-1", "production");
    expect(violation.code).toBe("scope.excluded");
    expect(violation.msg).toContain("acme/sandbox-1 is outside the scope of the organisation's repol policy");
    expect(violation.msg).toContain("will not approve deployments to production");
  });

  it.each([
    ["skip", { post: false }],
    ["neutral", { post: true, conclusion: "neutral" }],
    ["fail", { post: true, conclusion: "failure" }],
  ] as const)("an unconfigured pull request with %s gets %j", (setting, expected) => {
    expect(unconfiguredPullRequestAnswer(setting)).toMatchObject(expected);
  });
});
