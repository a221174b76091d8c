// Which repositories an organisation policy judges, and what repol answers for the ones it does not.
// An excluded repository gets no check run; a deployment it gates is still answered, with a
// rejection that says why, because approving it silently would let an exclusion open every gate.
import type { Violation } from "../domain/verdict.js";
import type { OrgScope, UnconfiguredPullRequests } from "../policy/load-org-config.js";
import { matchesAnyNameGlob } from "../policy/match-name-glob.js";

/** Patterns match the repository's name without its owner (`api`, not `acme/api`). */
export function isInScope(repoFullName: string, scope: OrgScope | undefined): boolean {
  const name = repoFullName.slice(repoFullName.indexOf("/") + 1);
  if (scope?.include !== undefined && !matchesAnyNameGlob(scope.include, name)) return false;
  return !matchesAnyNameGlob(scope?.exclude ?? [], name);
}

export function excludedDeploymentViolation(repoFullName: string, environment: string): Violation {
  return {
    code: "scope.excluded",
    msg:
      `${repoFullName} is outside the scope of the organisation's repol policy (.repol/org.yaml in the .github repository), ` +
      `so repol does not judge it and will not approve deployments to ${environment}. ` +
      "Remove repol from this environment's protection rules, or bring the repository into scope in org.yaml.",
  };
}

/** What a pull request gets when neither its repository nor the organisation has a pull request policy. */
export type UnconfiguredAnswer = { post: false } | { post: true; conclusion: "neutral" | "failure"; title: string; summary: string };

export function unconfiguredPullRequestAnswer(setting: UnconfiguredPullRequests): UnconfiguredAnswer {
  if (setting === "skip") return { post: false };
  const summary =
    "Neither this repository (.repol/pullrequest.yaml) nor the organisation (.repol/pullrequest.yaml in the .github repository) " +
    "has a pull request policy. Add one to have pull requests judged.";
  return setting === "neutral"
    ? { post: true, conclusion: "neutral", title: "No pull request policy", summary }
    : {
        post: true,
        conclusion: "failure",
        title: "No pull request policy",
        summary: `${summary} The organisation requires one (unconfigured_pull_requests: fail).`,
      };
}
