// The Check Run repol keeps per (head SHA, check name): found and updated rather than piled up,
// with output fitted to GitHub's limits so a large verdict never makes the call fail.
import { fitToBytes } from "./fit-to-bytes.js";
import { askGitHub, type GitHub } from "./github-client.js";

export const CHECK_NAME_PREFIX = "repol (";
/** GitHub rejects `output.summary` / `output.text` (and an annotation message) above this size. */
export const OUTPUT_FIELD_MAX_BYTES = 65_535;
/** GitHub accepts at most this many annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Beyond this, more annotations only cost requests; the summary says how many were left out. */
export const MAX_ANNOTATIONS = 500;

/** Named after the base branch so branch protection never accepts a green check earned against another target. */
export function checkRunName(baseRef: string): string {
  return `${CHECK_NAME_PREFIX}${baseRef})`;
}

export function isRepolCheckName(name: string | null | undefined): boolean {
  return typeof name === "string" && name.startsWith(CHECK_NAME_PREFIX) && name.endsWith(")");
}

/** The base branch a repol check run name was built from, or undefined for any other name. */
export function baseRefOfCheckName(name: string): string | undefined {
  return isRepolCheckName(name) ? name.slice(CHECK_NAME_PREFIX.length, -1) : undefined;
}

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  /** Our GitHub App id; when known, only runs created by this app are reused. */
  appId?: number;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

export type CheckConclusion = "success" | "failure";

export interface StartedCheckRun {
  id: number;
  /** False when this call created the run. */
  reused: boolean;
}

/** Our latest run with this name on this SHA, if any. */
export async function findCheckRun(github: GitHub, target: CheckRunTarget): Promise<number | undefined> {
  const runs = await askGitHub(`listing check runs "${target.name}" of ${where(target)}`, () =>
    github.paginate(github.rest.checks.listForRef, {
      owner: target.owner,
      repo: target.repo,
      ref: target.headSha,
      check_name: target.name,
      ...(target.appId !== undefined ? { app_id: target.appId } : {}),
      filter: "all",
      per_page: 100,
    }),
  );
  const ours = runs.filter(
    (run) => run.name === target.name && (target.appId === undefined || run.app?.id === target.appId),
  );
  if (ours.length === 0) return undefined;
  return Math.max(...ours.map((run) => run.id));
}

/**
 * Reuses our run for this SHA and name, or creates one `in_progress`. A reused run is left as it
 * is: GitHub does not move a completed run back to in_progress, the next update carries the verdict.
 */
export async function startCheckRun(github: GitHub, target: CheckRunTarget): Promise<StartedCheckRun> {
  const existing = await findCheckRun(github, target);
  if (existing !== undefined) return { id: existing, reused: true };
  const { data } = await askGitHub(`creating check run "${target.name}" on ${where(target)}`, () =>
    github.rest.checks.create({
      owner: target.owner,
      repo: target.repo,
      name: target.name,
      head_sha: target.headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
    }),
  );
  return { id: data.id, reused: false };
}

/**
 * Completes the run with a conclusion and output. Annotations go 50 per request: the first batch
 * with the verdict, the rest appended by follow-up updates (GitHub appends, never replaces, them).
 */
export async function completeCheckRun(
  github: GitHub,
  target: CheckRunTarget,
  checkRunId: number,
  result: { conclusion: CheckConclusion; output: CheckRunOutput },
): Promise<{ requests: number }> {
  const { output, batches } = fitOutput(result.output);
  const base = { owner: target.owner, repo: target.repo, check_run_id: checkRunId };
  const head = { title: output.title, summary: output.summary, ...(output.text !== undefined ? { text: output.text } : {}) };
  const what = `updating check run ${checkRunId} "${target.name}" on ${where(target)}`;
  await askGitHub(what, () =>
    github.rest.checks.update({
      ...base,
      name: target.name,
      status: "completed",
      conclusion: result.conclusion,
      completed_at: new Date().toISOString(),
      output: { ...head, ...(batches[0] ? { annotations: batches[0] } : {}) },
    }),
  );
  for (const batch of batches.slice(1)) {
    await askGitHub(what, () => github.rest.checks.update({ ...base, output: { ...head, annotations: batch } }));
  }
  return { requests: Math.max(1, batches.length) };
}

/** Output trimmed to GitHub's limits, annotations split into request-sized batches. */
function fitOutput(output: CheckRunOutput): { output: CheckRunOutput; batches: CheckAnnotation[][] } {
  const all = output.annotations ?? [];
  const kept = all.slice(0, MAX_ANNOTATIONS).map((a) => ({ ...a, message: fitToBytes(a.message, OUTPUT_FIELD_MAX_BYTES) }));
  const leftOut = all.length - kept.length;
  const summary = leftOut > 0
    ? `${output.summary}\n\n_${leftOut} more annotation(s) not shown; only the first ${MAX_ANNOTATIONS} are posted._`
    : output.summary;
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < kept.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(kept.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  return {
    output: {
      title: output.title,
      summary: fitToBytes(summary, OUTPUT_FIELD_MAX_BYTES),
      ...(output.text !== undefined ? { text: fitToBytes(output.text, OUTPUT_FIELD_MAX_BYTES) } : {}),
    },
    batches,
  };
}

function where(target: CheckRunTarget): string {
  return `${target.owner}/${target.repo}@${target.headSha.slice(0, 7)}`;
}
