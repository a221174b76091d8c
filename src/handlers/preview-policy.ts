// The `repol policy preview` check run: a pull request that changes `.repol/**` (in a repository, or
// in the owner's `.github` repository) gets its proposed files validated and the newest recorded
// decisions replayed under them (src/org/preview-policy-change.ts). Nothing here changes the rules in
// force; the check is neutral, or failing when the files would not load. Forks get no preview: their
// head is not the repository's to read on its behalf.
import { PREVIEW_EVENT, recentDecisions } from "../audit/recent-decisions.js";
import type { NewAuditRecord } from "../audit/record.js";
import type { PullRequestUnderReview } from "../domain/pull-request.js";
import { ORG_REPOSITORY } from "../github/facts-queries.js";
import { changedPolicyPaths } from "../github/proposed-files-of.js";
import { PREVIEW_CHECK_NAME, renderInvalidProposal, renderPreview, type PreviewOutput } from "../github/render-preview.js";
import type { GitHubFacts } from "../github/repo-facts.js";
import { previewPolicyChange } from "../org/preview-policy-change.js";
import { readProposedPolicy, type ProposedFiles } from "../org/proposed-policy.js";
import { recordAndDeliver, retryPolicyOf } from "../durability/record-and-deliver.js";
import type { PullRequestDelivery } from "./judge-pull-request.js";
import type { HandlerDeps } from "./types.js";

const PREVIEWED_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

/** What a preview uses of the handler's dependencies. */
export type PreviewDeps = Pick<HandlerDeps, "store" | "engine" | "settings" | "clock">;

/** A pull request opened or pushed to whose head is in the repository itself: the facts query then reads the head's `.repol` files. */
export function previewable(delivery: Pick<PullRequestDelivery, "event" | "action">, pr: PullRequestUnderReview): boolean {
  if (delivery.event !== "pull_request" || !PREVIEWED_ACTIONS.has(delivery.action ?? "")) return false;
  return pr.headRepo?.toLowerCase() === `${pr.owner}/${pr.repo}`.toLowerCase();
}

export async function previewPolicyIfChanged(
  delivery: PullRequestDelivery,
  deps: PreviewDeps,
  pr: PullRequestUnderReview,
  facts: Pick<GitHubFacts, "policy" | "listedChangedPaths" | "proposedFiles">,
): Promise<void> {
  if (!previewable(delivery, pr)) return;
  try {
    const query = { policy: "pullrequest" as const, number: pr.number, headSha: pr.headSha };
    // The facts query already holds the pull request's files: finding a `.repol` change costs nothing.
    const [snapshot, listed] = await Promise.all([facts.policy(query), facts.listedChangedPaths(query)]);
    const paths = changedPolicyPaths(listed);
    if (paths.length === 0) return;
    const files = await facts.proposedFiles(query, paths);
    const output = await previewOutput(deps, pr, files, snapshot.repository?.private !== false);
    const request = {
      kind: "check_run" as const,
      target: { owner: pr.owner, repo: pr.repo, headSha: pr.headSha, name: PREVIEW_CHECK_NAME, knownAbsent: true },
      checkRunId: null,
      check: checkOf(output),
    };
    const recordDeps = { store: deps.store, github: delivery.github, log: delivery.log, installationId: delivery.installationId, policy: retryPolicyOf(deps) };
    await recordAndDeliver(recordDeps, previewRow(delivery, pr, output, deps), request);
  } catch (error) {
    // The preview enforces nothing; a failure to make one is logged, and the verdict check stands alone.
    delivery.log.warn({ delivery: delivery.key, pr: pr.number, err: error }, "could not preview the pull request's policy change");
  }
}

async function previewOutput(deps: PreviewDeps, pr: PullRequestUnderReview, files: ProposedFiles, isPrivate: boolean): Promise<PreviewOutput> {
  const now = deps.clock?.now() ?? new Date();
  const organisation = pr.repo.toLowerCase() === ORG_REPOSITORY;
  const proposed = readProposedPolicy(files, organisation ? "organisation" : "repository", now);
  if (!proposed.ok) return renderInvalidProposal(proposed.errors);
  const subject = organisation ? { owner: pr.owner } : { repository: `${pr.owner}/${pr.repo}` };
  const rows = await recentDecisions(deps.store, subject);
  const report = previewPolicyChange(proposed.policy, rows, deps.engine, now);
  // A public `.github` repository shows only what its readers may see: public repositories by name.
  const publicRepositories = organisation && !isPrivate ? new Set(rows.filter(isPublicRow).map((row) => row.repository ?? "")) : null;
  return renderPreview(report, { publicUrl: deps.settings.publicUrl, publicRepositories });
}

function isPublicRow(row: { input?: unknown }): boolean {
  return (row.input as { repository?: { private?: unknown } } | null | undefined)?.repository?.private === false;
}

function checkOf(output: PreviewOutput) {
  const { conclusion, title, summary, annotations } = output;
  return { conclusion, output: { title, summary, ...(annotations.length > 0 ? { annotations } : {}) } };
}

function previewRow(delivery: PullRequestDelivery, pr: PullRequestUnderReview, output: PreviewOutput, deps: PreviewDeps): NewAuditRecord {
  return {
    delivery_id: `${delivery.key}:preview`,
    event: PREVIEW_EVENT,
    action: delivery.action,
    policy: "pullrequest",
    decision: output.conclusion === "failure" ? "deny" : "allow",
    repository: delivery.repository,
    installation_id: delivery.installationId,
    environment: null,
    ref: `refs/heads/${pr.baseRef}`,
    sha: pr.headSha,
    pr_number: pr.number,
    actor: delivery.actor,
    violations: output.conclusion === "failure" ? [{ code: "config.invalid", msg: output.title }] : [],
    warnings: [],
    input: null,
    bundle_digest: deps.engine.digest || null,
    config_sha: null,
    duration_ms: 0,
    effect: { kind: "check_run", ok: false },
    error: null,
  };
}
