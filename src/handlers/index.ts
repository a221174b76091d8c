// Every event repol answers, in one list.
import { handleDeploymentProtectionRule } from "./deployment.js";
import { handleCheckRerequested, handlePullRequest, handlePullRequestReview } from "./pull-request.js";
import { buildRegistry } from "./registry.js";

export const registry = buildRegistry([
  ["deployment_protection_rule.requested", handleDeploymentProtectionRule],
  ["pull_request.opened", handlePullRequest],
  ["pull_request.reopened", handlePullRequest],
  ["pull_request.synchronize", handlePullRequest],
  // Only a base-branch change re-judges; the handler ignores title and body edits.
  ["pull_request.edited", handlePullRequest],
  ["pull_request.ready_for_review", handlePullRequest],
  ["pull_request_review.submitted", handlePullRequestReview],
  ["pull_request_review.edited", handlePullRequestReview],
  ["pull_request_review.dismissed", handlePullRequestReview],
  // The "Re-run" buttons; the handler acts only on repol's own checks.
  ["check_run.rerequested", handleCheckRerequested],
  ["check_suite.rerequested", handleCheckRerequested],
]);
