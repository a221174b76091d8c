// The Check Run repol keeps per (head SHA, check name): updated rather than piled up,
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
  /**
   * The facts query looked for our run on this SHA and found none, so it is created without a lookup.
   * Should GitHub create it but its answer be lost, the retry adds a second run of the name: GitHub
   * shows the newest, which is the one every later event finds and updates.
   */
  knownAbsent?: boolean;
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

export type CheckConclusion = "success" | "failure" | "neutral";

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
  const ours = runs.filter((run) => run.name === target.name && (target.appId === undefined || run.app?.id === target.appId));
  if (ours.length === 0) return undefined;
  return Math.max(...ours.map((run) => run.id));
}

/**
 * Posts a verdict in as few requests as GitHub allows: our run updated when its id is known, else
 * looked up (unless the facts query already saw there is none) and, when missing, created completed
 * with the verdict. The run is not opened "in progress" first: a decision takes milliseconds, and the
 * extra write would be a third of a pull request event's GitHub budget. Returns the run's id.
 */
export async function postVerdict(github: GitHub, target: CheckRunTarget, checkRunId: number | null, result: CheckResult): Promise<number> {
  const existing = checkRunId ?? (target.knownAbsent ? undefined : await findCheckRun(github, target));
  if (existing !== undefined) {
    await completeCheckRun(github, target, existing, result);
    return existing;
  }
  const { head, batches, body } = verdictBody(target, result);
  const { data } = await askGitHub(`creating check run "${target.name}" on ${where(target)}`, () =>
    github.rest.checks.create({ ...body, head_sha: target.headSha }),
  );
  await appendAnnotations(github, target, data.id, head, batches.slice(1));
  return data.id;
}

export interface CheckResult {
  conclusion: CheckConclusion;
  output: CheckRunOutput;
  detailsUrl?: string | null;
}

/**
 * Completes the run with a conclusion and output. Annotations go 50 per request: the first batch
 * with the verdict, the rest appended by follow-up updates (GitHub appends, never replaces, them).
 */
export async function completeCheckRun(github: GitHub, target: CheckRunTarget, checkRunId: number, result: CheckResult): Promise<{ requests: number }> {
  const { head, batches, body } = verdictBody(target, result);
  await askGitHub(`updating check run ${checkRunId} "${target.name}" on ${where(target)}`, () =>
    github.rest.checks.update({ ...body, check_run_id: checkRunId }),
  );
  await appendAnnotations(github, target, checkRunId, head, batches.slice(1));
  return { requests: Math.max(1, batches.length) };
}

type OutputHead = Pick<CheckRunOutput, "title" | "summary" | "text">;

/** What a created or updated run is given: completed with the verdict and the first 50 annotations. */
function verdictBody(target: CheckRunTarget, result: CheckResult) {
  const { output, batches } = fitOutput(result.output);
  const head = outputHead(output);
  const body = {
    owner: target.owner,
    repo: target.repo,
    name: target.name,
    status: "completed" as const,
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    ...(result.detailsUrl ? { details_url: result.detailsUrl } : {}),
    output: { ...head, ...(batches[0] ? { annotations: batches[0] } : {}) },
  };
  return { head, batches, body };
}

function outputHead(output: CheckRunOutput): OutputHead {
  return { title: output.title, summary: output.summary, ...(output.text !== undefined ? { text: output.text } : {}) };
}

/** GitHub takes 50 annotations per request and appends, never replaces, them across updates. */
async function appendAnnotations(github: GitHub, target: CheckRunTarget, checkRunId: number, head: OutputHead, batches: CheckAnnotation[][]): Promise<void> {
  const what = `updating check run ${checkRunId} "${target.name}" on ${where(target)}`;
  for (const batch of batches) {
    await askGitHub(what, () =>
      github.rest.checks.update({ owner: target.owner, repo: target.repo, check_run_id: checkRunId, output: { ...head, annotations: batch } }),
    );
  }
}

/** Output trimmed to GitHub's limits, annotations split into request-sized batches. */
function fitOutput(output: CheckRunOutput): { output: CheckRunOutput; batches: CheckAnnotation[][] } {
  const all = output.annotations ?? [];
  const kept = all.slice(0, MAX_ANNOTATIONS).map((a) => ({ ...a, message: fitToBytes(a.message, OUTPUT_FIELD_MAX_BYTES) }));
  const leftOut = all.length - kept.length;
  const summary =
    leftOut > 0 ? `${output.summary}\n\n_${leftOut} more annotation(s) not shown; only the first ${MAX_ANNOTATIONS} are posted._` : output.summary;
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
