import { createHash } from "node:crypto";
// The decision core's facts answered from a JSON recording instead of GitHub, for `repol replay`.
// Raw GitHub data (check runs, statuses, commits) is judged by the core as the App's is, so a changed
// config (e.g. required_checks) is judged again rather than read from a stored verdict. A question
// the recording cannot answer throws, which the core turns into an "error" verdict: a missing fact
// never passes a rule.
import type { DecisionFacts, PullRequestFacts, RefKind } from "../core/facts.js";
import type { CheckRunLike, CommitStatusLike } from "../core/judge-checks.js";
import type { CommitLike } from "../core/judge-sign-off.js";
import type { PullRef } from "../domain/deployment-request.js";
import { CONFIG_PATHS } from "../policy/load-repo-config.js";
import { UsageError } from "./cli-io.js";
import { isPlainObject } from "./read-json-file.js";

export interface RecordedFacts {
  default_branch: string;
  /** Files on the default branch by path; a path left out does not exist there. */
  files?: Record<string, string | { text: string; sha?: string }>;
  environments?: string[];
  /** What a bare ref name is: "branch", "tag", "both" or "neither". */
  ref_kinds?: Record<string, RefKind>;
  /** Pull requests carrying a commit, by SHA. */
  pulls_for_commit?: Record<string, PullRef[]>;
  /** Approving reviewers by pull request number (author already excluded). */
  approvers?: Record<string, string[]>;
  /** Check runs and commit statuses, by SHA. */
  checks?: Record<string, { check_runs?: CheckRunLike[]; statuses?: CommitStatusLike[] }>;
  /** Commits for sign-off checks: "#<number>" for a pull request's commits, or a SHA for one commit. */
  commits?: Record<string, CommitLike[]>;
  /** Deployments already approved today to the environment being replayed. */
  approved_deployments_today?: number;
}

const KEYS: Record<keyof RecordedFacts, "string" | "object" | "array" | "number"> = {
  default_branch: "string",
  files: "object",
  environments: "array",
  ref_kinds: "object",
  pulls_for_commit: "object",
  approvers: "object",
  checks: "object",
  commits: "object",
  approved_deployments_today: "number",
};

/** Checks the recording's outline; unknown keys are refused so a typo cannot silently drop a fact. */
export function readRecordedFacts(value: unknown, source: string): RecordedFacts {
  if (!isPlainObject(value)) throw new UsageError(`facts ${source} must hold a JSON object`);
  for (const [key, entry] of Object.entries(value)) {
    const expected = KEYS[key as keyof RecordedFacts];
    if (!expected) throw new UsageError(`facts ${source}: unknown key "${key}"; known keys: ${Object.keys(KEYS).join(", ")}`);
    const actual = Array.isArray(entry) ? "array" : entry === null ? "null" : typeof entry;
    if (actual !== expected) throw new UsageError(`facts ${source}: "${key}" must be a ${expected}, got ${actual}`);
  }
  if (typeof value.default_branch !== "string" || value.default_branch === "") {
    throw new UsageError(`facts ${source}: "default_branch" (the repository's default branch) is required`);
  }
  return value as unknown as RecordedFacts;
}

/** A config file given on the command line (--config) in place of the recorded one. */
export interface LocalConfigFile {
  text: string;
  /** The name the user gave it: config errors must point at the file they can open and fix. */
  shownAs: string;
}

export function recordedFacts(recording: RecordedFacts, overrides: { files?: Record<string, LocalConfigFile> } = {}): DecisionFacts {
  const files = recording.files ?? {};
  const local = overrides.files ?? {};
  const need = <T>(table: Record<string, T> | undefined, key: string, what: string): T => {
    const entry = table && Object.hasOwn(table, key) ? table[key] : undefined;
    if (entry === undefined) throw new Error(`the recorded facts have no ${what}`);
    return entry;
  };
  // Approvers are recorded as a list (the author already left out): each stands for one approving review.
  const pull = ({ number, author }: PullRef): PullRequestFacts => {
    const approvers = need(recording.approvers, String(number), `approvers entry for pull request #${number}`);
    const commits = need(recording.commits, `#${number}`, `commits entry for pull request #${number}`);
    return { number, author, commitCount: commits.length, reviews: approvers.map((login) => ({ user: { login }, state: "APPROVED" })), commits };
  };
  return {
    policy: async (query) => {
      const path = CONFIG_PATHS[query.policy];
      if (Object.hasOwn(local, path)) {
        const { text, shownAs } = local[path]!;
        return { defaultBranch: recording.default_branch, file: { path: shownAs, ref: "local file", text, sha: gitBlobSha(text) } };
      }
      if (!Object.hasOwn(files, path)) return { defaultBranch: recording.default_branch, file: null };
      const entry = files[path]!;
      const text = typeof entry === "string" ? entry : entry.text;
      const sha = typeof entry === "string" ? "recorded" : (entry.sha ?? "recorded");
      return { defaultBranch: recording.default_branch, file: { path, ref: `refs/heads/${recording.default_branch}`, text, sha } };
    },
    deploymentEvidence: async (query) => {
      if (!recording.environments) throw new Error('the recorded facts have no "environments"');
      const refKind = query.refToClassify === null ? null : need(recording.ref_kinds, query.refToClassify, `ref_kinds entry for "${query.refToClassify}"`);
      const behind = query.pulls.length > 0 ? query.pulls : need(recording.pulls_for_commit, query.sha, `pulls_for_commit entry for ${query.sha}`);
      const pulls = behind.map(pull);
      const commit = pulls.length > 0 ? null : (need(recording.commits, query.sha, `commits entry for ${query.sha}`)[0] ?? null);
      const checks = need(recording.checks, query.sha, `checks entry for ${query.sha}`);
      return {
        environments: recording.environments,
        refKind,
        pulls,
        commit,
        checkRuns: checks.check_runs ?? [],
        statuses: checks.statuses ?? [],
        approvedDeploymentsToday: recording.approved_deployments_today ?? 0,
      };
    },
    pullRequestEvidence: async (query) => pull({ number: query.number, author: null }),
  };
}

/** The SHA git gives the file's content (`git hash-object`), as config_sha is for a file read from GitHub. */
function gitBlobSha(text: string): string {
  const content = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}
