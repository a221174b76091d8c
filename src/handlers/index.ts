// Every event repol answers, in one list.
import { handleCheckRerequested } from "./check-rerequested.js";
import { handleDeploymentProtectionRule } from "./deployment.js";
import { handlePullRequest, handlePullRequestReview } from "./pull-request.js";
import { buildRegistry, on } from "./registry.js";

export const registry = buildRegistry([
  on("deployment_protection_rule.requested", handleDeploymentProtectionRule),
  on("pull_request.opened", handlePullRequest),
  on("pull_request.reopened", handlePullRequest),
  on("pull_request.synchronize", handlePullRequest),
  // Only a base-branch change re-judges; the handler ignores title and body edits.
  on("pull_request.edited", handlePullRequest),
  on("pull_request.ready_for_review", handlePullRequest),
  on("pull_request_review.submitted", handlePullRequestReview),
  on("pull_request_review.edited", handlePullRequestReview),
  on("pull_request_review.dismissed", handlePullRequestReview),
  // The "Re-run" buttons; the handler acts only on repol's own checks.
  on("check_run.rerequested", handleCheckRerequested),
  on("check_suite.rerequested", handleCheckRerequested),
]);
