// RepoFacts answered from a JSON recording instead of GitHub, for `repol replay`. Raw GitHub data
// (check runs, statuses, commits) is judged by the same functions the App uses, so a changed config
// (e.g. required_checks) is judged again rather than read from a stored verdict. A question the
// recording cannot answer throws, which the deployment gate turns into an "error" verdict: a missing
// fact never passes a rule.
import { judgeChecks, type CheckRunLike, type CommitStatusLike } from "../core/judge-checks.js";
import type { PullRef, RefKind, RepoFacts } from "../github/repo-facts.js";
import { judgeSignOff, type CommitLike } from "../core/judge-sign-off.js";
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

export function recordedRepoFacts(recording: RecordedFacts, overrides: { files?: Record<string, string> } = {}): RepoFacts {
  const files = { ...recording.files, ...overrides.files };
  const missing = (what: string) => new Error(`the recorded facts have no ${what}`);
  const need = <T>(table: Record<string, T> | undefined, key: string, what: string): T => {
    const entry = table && Object.hasOwn(table, key) ? table[key] : undefined;
    if (entry === undefined) throw missing(what);
    return entry;
  };
  return {
    defaultBranch: async () => recording.default_branch,
    configFile: async (path) => {
      if (!Object.hasOwn(files, path)) return null;
      const entry = files[path]!;
      const text = typeof entry === "string" ? entry : entry.text;
      const sha = typeof entry === "string" ? "recorded" : entry.sha ?? "recorded";
      return { path, ref: `refs/heads/${recording.default_branch}`, text, sha };
    },
    environments: async () => {
      if (!recording.environments) throw missing('"environments"');
      return recording.environments;
    },
    refKind: async (name) => need(recording.ref_kinds, name, `ref_kinds entry for "${name}"`),
    pullsForCommit: async (sha) => need(recording.pulls_for_commit, sha, `pulls_for_commit entry for ${sha}`),
    approversOf: async (number) => need(recording.approvers, String(number), `approvers entry for pull request #${number}`),
    checksPassed: async (sha, options) => {
      const recorded = need(recording.checks, sha, `checks entry for ${sha}`);
      return judgeChecks(recorded.check_runs ?? [], recorded.statuses ?? [], options);
    },
    signedOff: async (target) => {
      const key = "pull" in target ? `#${target.pull}` : target.sha;
      return judgeSignOff(need(recording.commits, key, `commits entry for ${"pull" in target ? `pull request ${key}` : key}`));
    },
  };
}
