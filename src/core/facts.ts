// Everything the decision core knows about a repository comes through this interface, as snapshots
// of plain data: the App fills them from GitHub and the audit store, `repol replay` from a recording.
//
// Two stages, each one snapshot: first the policy file, then (only when that file holds a valid
// policy) the evidence its rules judge. Both stages are given the whole query, so an implementation
// that gathers every fact in one request can do so on the first call and answer the second from it;
// one that asks GitHub call by call reads nothing the missing or broken policy would not use.
import type { PullRef } from "../domain/deployment-request.js";
import type { CheckRunLike, CommitStatusLike } from "./judge-checks.js";
import type { CommitLike } from "./judge-sign-off.js";
import type { ReviewLike } from "./latest-approvers.js";

export interface DecisionFacts {
  policy(query: FactsQuery): Promise<PolicySnapshot>;
  deploymentEvidence(query: DeploymentQuery): Promise<DeploymentEvidence>;
  pullRequestEvidence(query: PullRequestQuery): Promise<PullRequestFacts>;
}

export type FactsQuery = DeploymentQuery | PullRequestQuery;

export interface DeploymentQuery {
  policy: "deploy";
  sha: string;
  environment: string;
  /** A bare ref name whose kind (branch or tag) must be looked up; null when the ref says it itself. */
  refToClassify: string | null;
  /** Pull requests the webhook named; when empty, those carrying the SHA are the evidence. */
  pulls: PullRef[];
  /** Start of today (UTC, ISO 8601) for the count of approved deployments. */
  since: string;
  /** Read every changed file (one request per extra 100) rather than the first 100; some rule can use them. */
  wantAllChangedFiles?: boolean;
}

export interface PullRequestQuery {
  policy: "pullrequest";
  number: number;
  headSha: string;
  /** As for a deployment: every changed file, not only the first 100. */
  wantAllChangedFiles?: boolean;
}

/** A `.repol` file as read from the default branch. */
export interface PolicyFile {
  path: string;
  /** The fully qualified ref the file was read at, e.g. `refs/heads/main`. */
  ref: string;
  /** Raw bytes from GitHub (the config loader decodes them strictly), or text from a recording. */
  text: string | Uint8Array;
  /** Git blob SHA of the file, recorded with every decision. */
  sha: string;
}

export interface PolicySnapshot {
  defaultBranch: string;
  /** null when the policy's file does not exist on the default branch. */
  file: PolicyFile | null;
  /** The repository itself; absent from a recording made without it (rules then see null). */
  repository?: RepositoryFacts;
  /** Every `.rego` file below `.repol/policies/` on the default branch; absent means none were read. */
  rules?: RuleFiles;
  /** The owner's `.github` repository's policies; null when it is absent or the installation cannot read it. */
  org?: OrgPolicies | null;
}

export interface RepositoryFacts {
  fullName: string;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  topics: string[];
}

/** Rule files as read from a default branch. */
export interface RuleFiles {
  files: PolicyFile[];
  /**
   * Why the list may be incomplete (a directory nested deeper than repol reads, a file GitHub would
   * not give as text); null when it is complete. A caller that uses rule files must fail closed on it.
   */
  problem: string | null;
}

export interface OrgPolicies {
  /** "owner/.github" */
  repository: string;
  defaultBranch: string;
  /** `.repol/deploy.yaml`, `.repol/pullrequest.yaml` and `.repol/org.yaml`, each null when absent. */
  files: { deploy: PolicyFile | null; pullrequest: PolicyFile | null; org: PolicyFile | null };
  rules: RuleFiles;
}

/** What a bare ref name like `main` or `v1.2` names in the repository. */
export type RefKind = "branch" | "tag" | "both" | "neither";

/** One pull request as its rules judge it. */
export interface PullRequestFacts {
  number: number;
  author: string | null;
  /** How many commits GitHub counts; `commits` may hold fewer (GitHub lists 250 at most). */
  commitCount: number;
  /** Every review, in any order. */
  reviews: ReviewLike[];
  commits: CommitLike[];
  /** What rules may read of it; absent from a recording made without it (rules then see null). */
  details?: PullRequestDetails;
}

export interface PullRequestDetails {
  title: string;
  body: string;
  labels: string[];
  draft: boolean;
  base: string;
  head: string;
  headSha: string;
  additions: number;
  deletions: number;
  /** As GitHub lists them (3,000 at most), with REST's status names. */
  changedFiles: ChangedFile[];
  /** True when `changedFiles` holds fewer than the pull request changes. */
  changedFilesTruncated: boolean;
}

export interface ChangedFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  additions: number;
  deletions: number;
}

export interface DeploymentEvidence {
  /** Names of the environments defined on the repository. */
  environments: string[];
  /** The kind of `refToClassify`; null when none was asked. */
  refKind: RefKind | null;
  /** The pull requests behind the commit: the webhook's, else those carrying the SHA. */
  pulls: PullRequestFacts[];
  /** The deployed commit itself, read for its sign-off only when no pull request carries it. */
  commit: CommitLike | null;
  checkRuns: CheckRunLike[];
  statuses: CommitStatusLike[];
  /** Deployments to this environment of this repository approved since `since`. */
  approvedDeploymentsToday: number;
}
