// The decision core's facts (src/core/facts.ts) read from GitHub with REST calls made in parallel;
// the daily count of approved deployments comes from whoever holds the audit trail.
import type { DecisionFacts, DeploymentEvidence, DeploymentQuery } from "../core/facts.js";
import { CONFIG_PATHS } from "../policy/load-repo-config.js";
import { commitChecks } from "./commit-checks.js";
import type { ConfigCache } from "./config-cache.js";
import { environmentsOf } from "./environments-of.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";
import { pullsForCommit } from "./pulls-for-commit.js";
import { readCommit, readPullFacts } from "./read-pull-facts.js";
import { refKind } from "./ref-kind.js";

export interface GitHubFactsSource extends RepoRef {
  /** The default branch, when the webhook already says it (saves a request). */
  defaultBranch?: string | null;
  configCache: ConfigCache;
  /** Approved deployments to the query's environment since the query's `since`. */
  approvedDeployments(query: DeploymentQuery): Promise<number>;
}

export function octokitFacts(github: GitHub, source: GitHubFactsSource): DecisionFacts {
  const repo: RepoRef = { owner: source.owner, repo: source.repo };
  let defaultBranch: Promise<string> | undefined = source.defaultBranch ? Promise.resolve(source.defaultBranch) : undefined;
  return {
    async policy(query) {
      const branch = await (defaultBranch ??= readDefaultBranch(github, repo));
      return { defaultBranch: branch, file: await source.configCache.read(github, repo, CONFIG_PATHS[query.policy], branch) };
    },
    deploymentEvidence: (query) => deploymentEvidence(github, repo, query, source),
    pullRequestEvidence: (query) => readPullFacts(github, repo, query.number),
  };
}

async function deploymentEvidence(github: GitHub, repo: RepoRef, query: DeploymentQuery, source: GitHubFactsSource): Promise<DeploymentEvidence> {
  const [kind, environments, behind, checks, approvedDeploymentsToday] = await Promise.all([
    query.refToClassify === null ? null : refKind(github, repo, query.refToClassify),
    environmentsOf(github, repo),
    commitReviews(github, repo, query),
    commitChecks(github, repo, query.sha),
    source.approvedDeployments(query),
  ]);
  return { environments, refKind: kind, ...behind, ...checks, approvedDeploymentsToday };
}

/** The pull requests behind the commit (the webhook's, else those carrying it); the commit alone when there are none. */
async function commitReviews(github: GitHub, repo: RepoRef, query: DeploymentQuery): Promise<Pick<DeploymentEvidence, "pulls" | "commit">> {
  const numbers = (query.pulls.length > 0 ? query.pulls : await pullsForCommit(github, repo, query.sha)).map((pull) => pull.number);
  if (numbers.length === 0) return { pulls: [], commit: await readCommit(github, repo, query.sha) };
  return { pulls: await Promise.all(numbers.map((number) => readPullFacts(github, repo, number))), commit: null };
}

async function readDefaultBranch(github: GitHub, repo: RepoRef): Promise<string> {
  const { data } = await askGitHub(`reading repository ${fullName(repo)}`, () => github.request("GET /repos/{owner}/{repo}", { ...repo }));
  return data.default_branch;
}
