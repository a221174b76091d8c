// Webhooks that may bring the evidence a waiting deployment lacks: a check or commit status finished
// on its commit, or a review on a pull request behind it. Each waiting deployment they concern is
// judged again (reevaluate-waiting.ts); the rest of the event is the business of other handlers.
import type { Context } from "probot";
import type { WaitingMatch } from "../durability/waiting-store.js";
import type { GitHub } from "../github/github-client.js";
import { reevaluateWaiting } from "./reevaluate-waiting.js";
import type { EventHandler, HandlerDeps } from "./types.js";

export const releaseOnCheckRun: EventHandler<"check_run.completed"> = (context, deps) =>
  releaseWaiting(context, deps, { sha: context.payload.check_run.head_sha });

export const releaseOnCheckSuite: EventHandler<"check_suite.completed"> = (context, deps) =>
  releaseWaiting(context, deps, { sha: context.payload.check_suite.head_sha });

export const releaseOnStatus: EventHandler<"status"> = (context, deps) => releaseWaiting(context, deps, { sha: context.payload.sha });

export const releaseOnReview: EventHandler<"pull_request_review.submitted" | "pull_request_review.dismissed"> = (context, deps) =>
  releaseWaiting(context, deps, { pull: context.payload.pull_request.number });

async function releaseWaiting(context: Context, deps: HandlerDeps, match: WaitingMatch): Promise<void> {
  const waiting = deps.store.waiting;
  const repository = (context.payload as { repository?: { full_name?: string } }).repository?.full_name;
  if (!waiting || !repository) return;
  const concerned = await waiting.waitingIn(repository, match);
  const github: GitHub = context.octokit;
  for (const deployment of concerned) await reevaluateWaiting(deps, github, context.log, deployment.id);
}
