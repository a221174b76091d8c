// Addresses on GitHub's web site for what an audit row names.
// Links are built from the configured GitHub (GHE_HOST aware), never from URLs found in a payload.
import type { AuditRecord } from "../../audit/record.js";
import type { OutboxEntry } from "../../durability/work-store.js";

export interface GitHubLink {
  label: string;
  href: string;
}

/** https://api.github.com → https://github.com; a GitHub Enterprise API (https://host/api/v3) → https://host. */
export function githubWebUrl(githubApiUrl: string): string {
  const api = new URL(githubApiUrl);
  return api.hostname === "api.github.com" ? "https://github.com" : api.origin;
}

/** The workflow run, pull request, check run and commit of a decision, as far as its row and effects say. */
export function githubLinksOf(record: AuditRecord, entries: readonly OutboxEntry[], githubApiUrl: string): GitHubLink[] {
  const [owner, repo] = (record.repository ?? "").split("/");
  if (!owner || !repo) return [];
  const repoUrl = `${githubWebUrl(githubApiUrl)}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const links: GitHubLink[] = [];
  const runIds = new Set(entries.map((entry) => runIdOf(entry.request)).filter((id): id is number => id !== null));
  for (const runId of runIds) links.push({ label: `Workflow run ${runId}`, href: `${repoUrl}/actions/runs/${runId}` });
  if (record.pr_number !== null) links.push({ label: `Pull request #${record.pr_number}`, href: `${repoUrl}/pull/${record.pr_number}` });
  const checkRunIds = new Set([record.effect?.check_run_id, ...entries.map((entry) => checkRunIdOf(entry.request))].filter(isId));
  for (const id of checkRunIds) links.push({ label: `Check run ${id}`, href: `${repoUrl}/runs/${id}` });
  if (record.sha && /^[0-9a-f]{40}$/i.test(record.sha)) links.push({ label: `Commit ${record.sha.slice(0, 7)}`, href: `${repoUrl}/commit/${record.sha}` });
  return links;
}

function runIdOf(request: unknown): number | null {
  const review = (request as { kind?: unknown; review?: { runId?: unknown } } | null)?.review;
  return isId(review?.runId) ? review.runId : null;
}

function checkRunIdOf(request: unknown): number | null {
  const id = (request as { checkRunId?: unknown } | null)?.checkRunId;
  return isId(id) ? id : null;
}

function isId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}
