// check_run.rerequested / check_suite.rerequested (the "Re-run" buttons): find the open pull requests
// behind repol's check as they are now, and judge each again.
import { decisionLinkOf } from "../domain/decision-link.js";
import { alreadyDecided } from "../durability/already-decided.js";
import { failedPullRequestVerdict } from "../core/decide-pull-request.js";
import { messageOf } from "../core/message-of.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import type { PullRequestUnderReview } from "../domain/pull-request.js";
import { isRepolCheckName } from "../github/check-run.js";
import { pullRequestsToRerun } from "../github/read-pull-request.js";
import { renderEvaluationError } from "../github/render-check-output.js";
import { judgePullRequest, pullRequestRow, recordVerdict, refusedWithoutInstallation } from "./judge-pull-request.js";
import { requirePayloadFields } from "./payload-fields.js";
import { deliveryOf, REPOSITORY_FIELDS } from "./pull-request.js";
import type { EventHandler } from "./types.js";

export const handleCheckRerequested: EventHandler<"check_run.rerequested" | "check_suite.rerequested"> = async (context, deps) => {
  const { payload } = context;
  const checkRun = "check_run" in payload ? payload.check_run : null;
  const subject = checkRun ?? ("check_suite" in payload ? payload.check_suite : null);
  if (!subject) return;
  const subjectKey = checkRun ? "check_run" : "check_suite";
  requirePayloadFields(context.name, payload, { ...REPOSITORY_FIELDS, [`${subjectKey}.head_sha`]: "string", [`${subjectKey}.pull_requests`]: "array" });
  const checkName = checkRun?.name ?? null;
  const github = context.octokit;
  if (checkName !== null && !isRepolCheckName(checkName)) return;
  if (await refusedWithoutInstallation(deliveryOf(context, context.id), deps, null, subject.head_sha)) return;
  const appId = await deps.appId(github);
  if (appId !== undefined && subject.app?.id !== appId) return;

  const { repository } = payload;
  const sha = subject.head_sha;
  const started = performance.now();
  let pulls: PullRequestUnderReview[];
  try {
    pulls = await pullRequestsToRerun(github, {
      repository: { owner: repository.owner.login, repo: repository.name, id: repository.id, defaultBranch: repository.default_branch },
      headSha: sha,
      pulls: subject.pull_requests,
      checkName,
    });
  } catch (error) {
    const delivery = deliveryOf(context, `${context.id}:discovery`);
    if (await alreadyDecided(deps.store, delivery.key, context.log)) return;
    // Without the pull request there is nothing to judge, but the re-run check must not keep an old green.
    const verdict = failedPullRequestVerdict(`could not find the pull request for ${sha.slice(0, 7)}: ${messageOf(error)}`);
    const row = (effect: EffectOutcome) => pullRequestRow(delivery, null, sha, verdict, effect, deps, performance.now() - started);
    if (!checkRun) {
      await deps.store.insert(row({ kind: "none", ok: false, error: "no check run to post to" }));
      return;
    }
    // Through the outbox like every verdict: a GitHub that fails now still gets the failure later.
    const target = { owner: repository.owner.login, repo: repository.name, headSha: sha, name: checkRun.name, appId };
    const check = { ...renderEvaluationError(verdict.error!), detailsUrl: decisionLinkOf(deps.settings.publicUrl, delivery.key) };
    await recordVerdict(delivery, deps, row({ kind: "check_run", ok: false }), { kind: "check_run", target, checkRunId: checkRun.id, check });
    return;
  }
  if (pulls.length === 0) context.log.info({ delivery: context.id, sha }, "re-run: no open pull request has this commit as its head");
  for (const pr of pulls) {
    await judgePullRequest(deliveryOf(context, `${context.id}:pr-${pr.number}`), deps, pr);
  }
};
