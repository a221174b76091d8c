// The decision core's facts (src/core/facts.ts) read from GitHub in one GraphQL query: the first call
// (always `policy`) sends it with everything the decision may need, and the evidence is taken from
// the same answer, so a decision costs one request (plus one per extra page of a long list). The daily
// count of approved deployments comes from whoever holds the audit trail.
import type { DecisionFacts, DeploymentEvidence, DeploymentQuery, FactsQuery, PullRequestFacts, PullRequestQuery, RefKind } from "../core/facts.js";
import type { ProposedFiles } from "../org/proposed-policy.js";
import { CONFIG_PATHS } from "../policy/load-repo-config.js";
import { allNodes, askGraphQL } from "./ask-graphql.js";
import { checkRunsOf, commitOf, pullFacts, statusesOf, type CommitAnswer, type FactsAnswer, type PullAnswer } from "./facts-answer.js";
import { factsQuery, PROPOSED_FILES, RULES_PATH } from "./facts-queries.js";
import { fullName, type GitHub, type RepoRef } from "./github-client.js";
import { policySnapshotOf } from "./policy-snapshot-of.js";
import { proposedFilesOf } from "./proposed-files-of.js";

export interface GitHubFactsSource extends RepoRef {
  /** Approved deployments to the query's environment since the query's `since`. */
  approvedDeployments(query: DeploymentQuery): Promise<number>;
  /** repol's own check run to look for on the SHA (pull requests), so its verdict updates it without a lookup. */
  ownCheckRun?: { name: string; appId: number };
  /**
   * Read a pull request's head `.repol` files in the same query, for the policy preview; only for a
   * head in this repository (a fork's head is not the repository's to read on its behalf).
   */
  proposedPolicy?: boolean;
}

export interface GitHubFacts extends DecisionFacts {
  /**
   * Our check run's id as the facts query found it: null when there is none yet, undefined when it
   * was not looked up (no query made, or it failed).
   */
  ownCheckRunId(): Promise<number | null | undefined>;
  /** The paths a pull request changes as the facts query's first page lists them: no further request. */
  listedChangedPaths(query: PullRequestQuery): Promise<ListedPath[]>;
  /** The head's text of the changed `.repol` paths, from the same answer: only with `proposedPolicy`, never the rules in force. */
  proposedFiles(query: PullRequestQuery, paths: readonly string[]): Promise<ProposedFiles>;
}

export interface ListedPath {
  path: string;
  removed: boolean;
}

export function octokitFacts(github: GitHub, source: GitHubFactsSource): GitHubFacts {
  const repo: RepoRef = { owner: source.owner, repo: source.repo };
  let whole: Promise<FactsAnswer & { repository: object }> | undefined;
  // The whole query is known at the first call; later calls read the same answer.
  const readWhole = (query: FactsQuery) => (whole ??= askFacts(github, repo, query, source));
  const read = async (query: FactsQuery) => (await readWhole(query)).repository;
  return {
    policy: async (query) => policySnapshotOf(github, query.policy, await readWhole(query)),
    deploymentEvidence: async (query) => deploymentEvidence(github, repo, query, await read(query), source),
    pullRequestEvidence: async (query) =>
      pullFacts(github, fullName(repo), requirePull((await read(query)).pull0, query.number), query.wantAllChangedFiles === true),
    listedChangedPaths: async (query) =>
      (requirePull((await read(query)).pull0, query.number).files?.nodes ?? []).flatMap((file) =>
        file ? [{ path: file.path, removed: file.changeType === "DELETED" }] : [],
      ),
    proposedFiles: async (query, paths) => {
      const repository = await read(query);
      return proposedFilesOf(github, repo, requirePull(repository.pull0, query.number).headRefName, commitIn(repository), paths);
    },
    async ownCheckRunId() {
      if (!whole || !source.ownCheckRun) return undefined;
      const commit = await whole.then(
        (data) => commitIn(data.repository),
        () => undefined,
      );
      if (commit === undefined) return undefined;
      const paths = (commit?.ownSuites?.nodes ?? []).flatMap((suite) => suite.checkRuns.nodes.map((run) => run.resourcePath));
      const ids = paths.map((path) => Number(/\/runs\/(\d+)$/.exec(path)?.[1] ?? NaN));
      // A path repol cannot read: let the verdict look the run up rather than create a second one.
      if (ids.some((id) => !Number.isSafeInteger(id))) return undefined;
      // Several runs of that name: the newest is the one GitHub shows.
      return ids.length > 0 ? Math.max(...ids) : null;
    },
  };
}

async function askFacts(github: GitHub, repo: RepoRef, query: FactsQuery, source: GitHubFactsSource) {
  const deployment = query.policy === "deploy";
  const numbers = deployment ? query.pulls.map((pull) => pull.number) : [query.number];
  const classify = deployment ? query.refToClassify : null;
  const sha = deployment ? query.sha : query.headSha;
  const variables = {
    owner: repo.owner,
    name: repo.repo,
    configPath: CONFIG_PATHS[query.policy],
    sha,
    deployment,
    classify: classify !== null,
    branchRef: `refs/heads/${classify ?? ""}`,
    tagRef: `refs/tags/${classify ?? ""}`,
    askCommitPulls: deployment && numbers.length === 0,
    ownRun: source.ownCheckRun !== undefined,
    checkName: source.ownCheckRun?.name ?? "",
    appId: source.ownCheckRun?.appId ?? 0,
    rulesPath: RULES_PATH,
    proposed: !deployment && source.proposedPolicy === true,
  };
  const what = `reading the facts of ${fullName(repo)}@${sha.slice(0, 7)}`;
  const data = await askGraphQL<FactsAnswer>(github, what, factsQuery(numbers), variables, {
    absentWhenNotFound: ["org"],
    // The head's files only feed the preview, which fails without them; the verdict never does.
    optional: Object.values(PROPOSED_FILES),
  });
  if (!data.repository) throw new Error(`GitHub did not find the repository ${fullName(repo)} while ${what}`);
  return data as FactsAnswer & { repository: object };
}

async function deploymentEvidence(
  github: GitHub,
  repo: RepoRef,
  query: DeploymentQuery,
  repository: NonNullable<FactsAnswer["repository"]>,
  source: GitHubFactsSource,
): Promise<DeploymentEvidence> {
  const what = `${fullName(repo)}@${query.sha.slice(0, 7)}`;
  const commit = commitIn(repository);
  if (!commit) throw new Error(`GitHub has no commit ${query.sha} in ${fullName(repo)}`);
  if (!repository.environments) throw new Error(`GitHub left out the environments of ${fullName(repo)}`);
  const [environments, pulls, checkRuns, approvedDeploymentsToday] = await Promise.all([
    allNodes(github, `listing environments of ${fullName(repo)}`, "environments", repository.id, repository.environments),
    pullsBehind(github, repo, query, repository, commit),
    checkRunsOf(github, what, commit),
    source.approvedDeployments(query),
  ]);
  return {
    environments: environments.map((environment) => environment.name),
    refKind: query.refToClassify === null ? null : refKindOf(repository),
    pulls,
    commit: pulls.length === 0 ? commitOf(commit) : null,
    checkRuns,
    statuses: statusesOf(commit),
    approvedDeploymentsToday,
  };
}

/**
 * The webhook's pull requests, else those GitHub associates with the commit: open ones, or the merged
 * one that brought it in, of this repository. Closed-unmerged ones are left out: their reviews vouch
 * for work that was abandoned.
 */
async function pullsBehind(
  github: GitHub,
  repo: RepoRef,
  query: DeploymentQuery,
  repository: NonNullable<FactsAnswer["repository"]>,
  commit: CommitAnswer,
): Promise<PullRequestFacts[]> {
  let pulls: PullAnswer[];
  if (query.pulls.length > 0) {
    pulls = query.pulls.map((pull, i) => requirePull(repository[`pull${i}`], pull.number));
  } else {
    if (!commit.associatedPullRequests) throw new Error(`GitHub left out the pull requests of commit ${query.sha}`);
    const here = fullName(repo).toLowerCase();
    const associated = await allNodes(
      github,
      `listing pull requests of commit ${query.sha} in ${fullName(repo)}`,
      "pulls",
      commit.id,
      commit.associatedPullRequests,
    );
    pulls = associated
      .filter((pull) => pull.state === "OPEN" || pull.merged)
      .filter((pull) => !pull.baseRepository || pull.baseRepository.nameWithOwner.toLowerCase() === here)
      .sort((a, b) => a.number - b.number);
  }
  return Promise.all(pulls.map((pull) => pullFacts(github, fullName(repo), pull, query.wantAllChangedFiles === true)));
}

function requirePull(pull: PullAnswer | null | undefined, number: number): PullAnswer {
  if (!pull) throw new Error(`GitHub did not find pull request #${number}`);
  return pull;
}

function commitIn(repository: NonNullable<FactsAnswer["repository"]>): CommitAnswer | null {
  const commit = repository.commit;
  return commit && "oid" in commit ? (commit as CommitAnswer) : null;
}

function refKindOf(repository: NonNullable<FactsAnswer["repository"]>): RefKind {
  const branch = Boolean(repository.branch);
  const tag = Boolean(repository.tag);
  if (branch && tag) return "both";
  if (branch) return "branch";
  return tag ? "tag" : "neither";
}
