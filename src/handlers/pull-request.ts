// Pull request events and reviews: read the pull request from the webhook, then judge it and post
// its check run `repol (<base>)` on the head SHA (judge-pull-request.ts).
import type { Context } from "probot";
import { editLeavesVerdict, readPullRequestUnderReview } from "../webhooks/read-pull-request.js";
import { judgePullRequest, refusedWithoutInstallation, type PullRequestDelivery } from "./judge-pull-request.js";
import { requirePayloadFields } from "./payload-fields.js";
import type { EventHandler } from "./types.js";

export const REPOSITORY_FIELDS = {
  "repository.id": "number",
  "repository.name": "string",
  "repository.full_name": "string",
  "repository.owner.login": "string",
  "repository.default_branch": "string",
} as const;
const PULL_REQUEST_FIELDS = {
  ...REPOSITORY_FIELDS,
  "pull_request.number": "number",
  "pull_request.state": "string",
  "pull_request.head.ref": "string",
  "pull_request.head.sha": "string",
  "pull_request.base.ref": "string",
} as const;

export type PullRequestEvent =
  | "pull_request.opened"
  | "pull_request.reopened"
  | "pull_request.synchronize"
  | "pull_request.edited"
  | "pull_request.ready_for_review";
export type PullRequestReviewEvent = "pull_request_review.submitted" | "pull_request_review.edited" | "pull_request_review.dismissed";

export const handlePullRequest: EventHandler<PullRequestEvent> = async (context, deps) => {
  if (editLeavesVerdict("pull_request", context.payload)) return;
  await judgeFromWebhook(context, deps);
};

export const handlePullRequestReview: EventHandler<PullRequestReviewEvent> = (context, deps) => judgeFromWebhook(context, deps);

const judgeFromWebhook: EventHandler<PullRequestEvent | PullRequestReviewEvent> = async (context, deps) => {
  requirePayloadFields(context.name, context.payload, PULL_REQUEST_FIELDS);
  const delivery = deliveryOf(context, context.id);
  const pr = readPullRequestUnderReview(context.payload);
  if (await refusedWithoutInstallation(delivery, deps, pr, pr.headSha)) return;
  await judgePullRequest(delivery, deps, pr);
};

type RepositoryEvent = PullRequestEvent | PullRequestReviewEvent | "check_run.rerequested" | "check_suite.rerequested";

/** The delivery as plain data; `key` names what it judges (a delivery may judge several pull requests). */
export function deliveryOf<E extends RepositoryEvent>(context: Context<E>, key: string): PullRequestDelivery {
  const { payload } = context;
  return {
    key,
    event: context.name,
    action: payload.action ?? null,
    repository: payload.repository.full_name,
    installationId: payload.installation?.id ?? null,
    actor: payload.sender?.login ?? null,
    github: context.octokit,
    log: context.log,
  };
}
