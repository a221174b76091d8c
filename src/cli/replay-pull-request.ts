// Replays pull_request and pull_request_review deliveries through decidePullRequest, the App's own
// decision code, and shows the check run it would post.
import { decidePullRequest } from "../core/decide-pull-request.js";
import type { DecisionFacts } from "../core/facts.js";
import { renderCheckOutput, shownOf } from "../github/render-check-output.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { editLeavesVerdict, readPullRequestUnderReview, type PullRequestWebhook } from "../webhooks/read-pull-request.js";
import { UsageError } from "./cli-io.js";
import { isPlainObject } from "./read-json-file.js";
import { verdictFieldsOf, type ReplayResult } from "./replay-result.js";

type PullRequestPayload = PullRequestWebhook & { action: string; repository: { full_name: string } };

export async function replayPullRequest(event: string, payload: Record<string, unknown>, facts: DecisionFacts, engine: PolicyEngine): Promise<ReplayResult> {
  const webhook = checkedPayload(event, payload);
  const { action, repository } = webhook;
  // The App does the same: a title or body edit cannot change the verdict.
  if (editLeavesVerdict(event, webhook)) {
    throw new UsageError("repol ignores a pull_request.edited delivery that does not change the base branch; nothing to replay");
  }
  const pr = readPullRequestUnderReview(webhook);
  const verdict = await decidePullRequest(pr, facts, engine);
  const check = renderCheckOutput(shownOf(pr), verdict.basis);
  return {
    event: `${event}.${action}`,
    policy: "pullrequest",
    headline: `${event}.${action} ${repository.full_name}#${pr.number} ${pr.headRef} → ${pr.baseRef} (sha ${pr.headSha.slice(0, 7)})`,
    ...verdictFieldsOf(verdict),
    notes: [`check run: ${check.conclusion} — ${check.output.title}`],
    details: { repository: repository.full_name, pull_request: pr.number, sha: pr.headSha, check: { conclusion: check.conclusion, title: check.output.title } },
  };
}

function checkedPayload(event: string, payload: Record<string, unknown>): PullRequestPayload {
  const pull = payload.pull_request;
  const repository = payload.repository;
  if (!isPlainObject(pull) || !isPlainObject(pull.head) || !isPlainObject(pull.base) || typeof pull.number !== "number") {
    throw new UsageError(`the ${event} payload has no usable pull_request (number, head, base)`);
  }
  if (!isPlainObject(repository) || !isPlainObject(repository.owner) || typeof repository.name !== "string") {
    throw new UsageError(`the ${event} payload has no usable repository (name, owner, default_branch)`);
  }
  return payload as unknown as PullRequestPayload;
}
