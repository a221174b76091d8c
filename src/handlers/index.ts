// Every event repol answers, in one list.
import { handleCheckRerequested } from "./check-rerequested.js";
import { handleDeploymentProtectionRule } from "./deployment.js";
import { handlePullRequest, handlePullRequestReview } from "./pull-request.js";
import { buildRegistry, on, oneAfterAnother } from "./registry.js";
import { releaseOnCheckRun, releaseOnCheckSuite, releaseOnReview, releaseOnStatus } from "./release-waiting.js";

export const registry = buildRegistry([
  on("deployment_protection_rule.requested", handleDeploymentProtectionRule),
  on("pull_request.opened", handlePullRequest),
  on("pull_request.reopened", handlePullRequest),
  on("pull_request.synchronize", handlePullRequest),
  // Only a base-branch change re-judges; the handler ignores title and body edits.
  on("pull_request.edited", handlePullRequest),
  on("pull_request.ready_for_review", handlePullRequest),
  // A review also judges again the deployments waiting for approvals on that pull request.
  on("pull_request_review.submitted", oneAfterAnother(handlePullRequestReview, releaseOnReview)),
  on("pull_request_review.edited", handlePullRequestReview),
  on("pull_request_review.dismissed", oneAfterAnother(handlePullRequestReview, releaseOnReview)),
  // The "Re-run" buttons; the handler acts only on repol's own checks.
  on("check_run.rerequested", handleCheckRerequested),
  on("check_suite.rerequested", handleCheckRerequested),
  // Evidence a waiting deployment may lack: a check, a check suite or a commit status on its commit.
  on("check_run.completed", releaseOnCheckRun),
  on("check_suite.completed", releaseOnCheckSuite),
  on("status", releaseOnStatus),
]);
