// GitHub's answer to the facts query (facts-queries.ts), and how its parts become the decision core's
// plain facts. GraphQL writes enums in capitals (COMPLETED, SUCCESS); the core reads REST's lower case.
import type { PullRequestFacts } from "../core/facts.js";
import type { CheckRunLike, CommitStatusLike } from "../core/judge-checks.js";
import type { CommitLike } from "../core/judge-sign-off.js";
import type { ReviewLike } from "../core/latest-approvers.js";
import { allNodes, type Connection } from "./ask-graphql.js";
import { pullDetailsOf } from "./pull-details.js";
import type { GitHub } from "./github-client.js";

export interface BlobAnswer {
  oid: string;
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
}

/** A path on a branch: a blob, or a tree with its entries as deep as the query reads (facts-queries.ts). */
export interface TreeEntryAnswer {
  name?: string;
  path?: string;
  type: string;
  mode: number;
  object: (Partial<BlobAnswer> & { entries?: TreeEntryAnswer[] }) | null;
}

interface ReviewNode {
  fullDatabaseId: string | number | null;
  state: string;
  submittedAt: string | null;
  author: { login: string } | null;
}
interface CommitNode {
  commit: { oid: string; message: string; author: { email: string | null } | null };
}
export interface ChangedFileNode {
  path: string;
  changeType: string;
  additions: number;
  deletions: number;
}
export interface PullAnswer {
  id: string;
  number: number;
  state: string;
  merged: boolean;
  author: { login: string } | null;
  baseRepository: { nameWithOwner: string } | null;
  title: string;
  body: string;
  isDraft: boolean;
  baseRefName: string;
  headRefName: string;
  headRefOid: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  labels: { pageInfo: { hasNextPage: boolean }; nodes: ({ name: string } | null)[] | null } | null;
  files: Connection<ChangedFileNode> | null;
  reviews: Connection<ReviewNode>;
  commits: Connection<CommitNode> & { totalCount: number };
}
interface RunNode {
  name: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
}
export interface SuiteNode {
  id: string;
  app: { databaseId: number | null } | null;
  checkRuns: Connection<RunNode>;
}

export interface CommitAnswer {
  id: string;
  oid: string;
  message: string;
  author: { email: string | null } | null;
  associatedPullRequests?: Connection<PullAnswer>;
  checkSuites?: Connection<SuiteNode>;
  status?: { contexts: { context: string; state: string }[] } | null;
  /** CheckRun.databaseId is a 32-bit Int that run ids outgrew; the id is read from the run's path (`/o/r/runs/<id>`). */
  ownSuites?: { nodes: { checkRuns: { nodes: { resourcePath: string }[] } }[] };
  /** The head's `.repol` files (PROPOSED_FILES in facts-queries.ts), present only when the query asked for them. */
  proposedDeploy?: TreeEntryAnswer | null;
  proposedPullrequest?: TreeEntryAnswer | null;
  proposedOrg?: TreeEntryAnswer | null;
}

/** A default branch's head commit with the files the query asked for by alias. */
export interface BranchAnswer<Files extends string> {
  name: string;
  target: Partial<Record<Files, TreeEntryAnswer | null>> | null;
}

export interface FactsAnswer {
  /** The owner's `.github` repository; null when GitHub answered NOT_FOUND for it. */
  org: { nameWithOwner: string; defaultBranchRef: BranchAnswer<"deploy" | "pullrequest" | "org" | "rules"> | null } | null;
  repository: {
    id: string;
    nameWithOwner: string;
    name: string;
    isPrivate: boolean;
    owner: { login: string };
    repositoryTopics: { pageInfo: { hasNextPage: boolean }; nodes: ({ topic: { name: string } } | null)[] | null };
    defaultBranchRef: BranchAnswer<"file" | "rules"> | null;
    environments?: Connection<{ name: string }>;
    branch?: { name: string } | null;
    tag?: { name: string } | null;
    /** A Commit for a known SHA; GraphQL answers {} (no fields) for another kind of object. */
    commit: CommitAnswer | Record<string, never> | null;
    [pull: `pull${number}`]: PullAnswer | null;
  } | null;
}

/** One pull request with every review and commit (further pages asked for). */
export async function pullFacts(github: GitHub, what: string, pull: PullAnswer, wantAllChangedFiles = false): Promise<PullRequestFacts> {
  const where = `${what}#${pull.number}`;
  const [reviews, commits, details] = await Promise.all([
    allNodes(github, `reading reviews of ${where}`, "reviews", pull.id, pull.reviews),
    allNodes(github, `listing commits of ${where}`, "commits", pull.id, pull.commits),
    pullDetailsOf(github, where, pull, wantAllChangedFiles),
  ]);
  return {
    number: pull.number,
    author: pull.author?.login ?? null,
    commitCount: pull.commits.totalCount,
    reviews: reviews.map(reviewOf),
    commits: commits.map(({ commit }) => commitOf(commit)),
    details,
  };
}

function reviewOf(review: ReviewNode): ReviewLike {
  return {
    ...(review.fullDatabaseId !== null ? { id: Number(review.fullDatabaseId) } : {}),
    user: review.author ? { login: review.author.login } : null,
    state: review.state,
    submitted_at: review.submittedAt,
  };
}

export function commitOf(commit: { oid: string; message: string; author: { email: string | null } | null }): CommitLike {
  return { sha: commit.oid, commit: { message: commit.message, author: commit.author ? { email: commit.author.email } : null } };
}

/** Every check run (latest per name in each suite) on the commit, all pages of suites and runs. */
export async function checkRunsOf(github: GitHub, what: string, commit: CommitAnswer): Promise<CheckRunLike[]> {
  if (!commit.checkSuites) throw new Error(`GitHub left out the check suites while ${what}`);
  const suites = await allNodes(github, `listing check suites of ${what}`, "suites", commit.id, commit.checkSuites);
  const runs = await Promise.all(suites.map((suite) => allNodes(github, `listing check runs of ${what}`, "runs", suite.id, suite.checkRuns)));
  return runs.flat().map((run) => ({
    name: run.name,
    status: run.status.toLowerCase(),
    conclusion: run.conclusion === null ? null : run.conclusion.toLowerCase(),
    details_url: run.detailsUrl,
  }));
}

/** The latest status per context (GitHub's `contexts` already keeps only the latest). */
export function statusesOf(commit: CommitAnswer): CommitStatusLike[] {
  return (commit.status?.contexts ?? []).map((status, i) => ({ id: i, context: status.context, state: status.state.toLowerCase() }));
}
