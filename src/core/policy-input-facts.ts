// The facts rules may read beside each policy's own keys (`now`, `repository`, `pull_request`,
// `deployment`, `pull_requests`), in the input's snake_case as schemas/*-input.schema.json documents
// them. A fact the facts source could not give is null, never an empty stand-in: a rule requiring a
// label must not read "no labels" where it should read "unknown".
import type { DeploymentObject } from "../domain/deployment-request.js";
import type { ChangedFile, PolicySnapshot, PullRequestFacts } from "./facts.js";

export interface RepositoryInput {
  full_name: string;
  owner: string;
  name: string;
  private: boolean;
  default_branch: string;
  topics: string[];
}

export interface PullRequestFactsInput {
  number: number;
  title: string;
  body: string;
  author: string | null;
  labels: string[];
  draft: boolean;
  base: string;
  head: string;
  head_sha: string;
  changed_files: ChangedFile[];
  changed_files_truncated: boolean;
  additions: number;
  deletions: number;
  commit_count: number;
}

/** `now` as the policy sees it: RFC 3339, UTC, milliseconds (`2026-03-29T01:00:00.000Z`); `input.now` and `schedule.now` are this same text. */
export function policyNow(now: Date): string {
  return now.toISOString();
}

/** The keys both policies share. `now` is RFC 3339 in UTC with milliseconds (the text of schedule.now too). */
export function commonInput(now: Date, snapshot: PolicySnapshot): { now: string; repository: RepositoryInput | null } {
  return { now: policyNow(now), repository: repositoryInput(snapshot) };
}

function repositoryInput({ repository }: PolicySnapshot): RepositoryInput | null {
  if (!repository) return null;
  const { fullName, owner, name, defaultBranch, topics } = repository;
  return { full_name: fullName, owner, name, private: repository.private, default_branch: defaultBranch, topics };
}

export function pullRequestInput(pull: PullRequestFacts): PullRequestFactsInput | null {
  const details = pull.details;
  if (!details) return null;
  return {
    number: pull.number,
    title: details.title,
    body: details.body,
    author: pull.author,
    labels: details.labels,
    draft: details.draft,
    base: details.base,
    head: details.head,
    head_sha: details.headSha,
    changed_files: details.changedFiles,
    changed_files_truncated: details.changedFilesTruncated,
    additions: details.additions,
    deletions: details.deletions,
    commit_count: pull.commitCount,
  };
}

export function deploymentInput(deployment: DeploymentObject | null | undefined): DeploymentObject | null {
  return deployment ? { ...deployment } : null;
}

/** Custom rules may read every changed file; without any, the first 100 (and the truncation flag) suffice. */
export function rulesMayReadFiles({ rules, org }: PolicySnapshot): boolean {
  return (rules?.files.length ?? 0) > 0 || (org?.rules.files.length ?? 0) > 0;
}
