// Every GitHub fact a policy may need, behind one interface: handlers depend on RepoFacts, only the
// Octokit-backed implementation below talks to GitHub, and a CLI can hand in recorded answers.
import { approversOf } from "../core/latest-approvers.js";
import { checksPassed, type ChecksOptions, type ChecksVerdict } from "../core/judge-checks.js";
import { environmentsOf } from "./environments-of.js";
import { configCache } from "./config-cache.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";
import { pullsForCommit, type PullRef } from "./pulls-for-commit.js";
import type { ConfigFile } from "./read-config-file.js";
import { refKind, type RefKind } from "./ref-kind.js";
import { commitSignedOff, pullSignedOff, type SignOffVerdict } from "../core/judge-sign-off.js";

export type { ChecksOptions, ChecksVerdict, ConfigFile, PullRef, RefKind, SignOffVerdict };

/** What a sign-off check is about: a pull request's commits, or one commit when there is no pull request. */
export type SignOffTarget = { pull: number } | { sha: string };

export interface RepoFacts {
  defaultBranch(): Promise<string>;
  /** The file on the default branch (never on the ref being judged); null when it does not exist. */
  configFile(path: string): Promise<ConfigFile | null>;
  environments(): Promise<string[]>;
  refKind(name: string): Promise<RefKind>;
  pullsForCommit(sha: string): Promise<PullRef[]>;
  /** Logins whose latest review is an approval; the pull request's author excluded. */
  approversOf(pullNumber: number): Promise<string[]>;
  checksPassed(sha: string, options: ChecksOptions): Promise<ChecksVerdict>;
  signedOff(target: SignOffTarget): Promise<SignOffVerdict>;
}

export interface RepoFactsSource extends RepoRef {
  /** The default branch, when the webhook already says it (saves a request). */
  defaultBranch?: string;
}

export function octokitRepoFacts(github: GitHub, source: RepoFactsSource): RepoFacts {
  const repo: RepoRef = { owner: source.owner, repo: source.repo };
  let defaultBranch: Promise<string> | undefined = source.defaultBranch ? Promise.resolve(source.defaultBranch) : undefined;
  const pulls = new Map<number, Promise<PullSummary>>();
  const pull = (number: number): Promise<PullSummary> => {
    if (!pulls.has(number)) pulls.set(number, pullSummary(github, repo, number));
    return pulls.get(number)!;
  };
  const facts: RepoFacts = {
    defaultBranch: () => (defaultBranch ??= readDefaultBranch(github, repo)),
    configFile: async (path) => configCache.read(github, repo, path, await facts.defaultBranch()),
    environments: () => environmentsOf(github, repo),
    refKind: (name) => refKind(github, repo, name),
    pullsForCommit: (sha) => pullsForCommit(github, repo, sha),
    approversOf: async (number) => approversOf(github, repo, number, (await pull(number)).author),
    checksPassed: (sha, options) => checksPassed(github, repo, sha, options),
    signedOff: async (target) =>
      "pull" in target ? pullSignedOff(github, repo, target.pull, (await pull(target.pull)).commits) : commitSignedOff(github, repo, target.sha),
  };
  return facts;
}

interface PullSummary {
  author: string | null;
  commits: number;
}

async function pullSummary(github: GitHub, repo: RepoRef, number: number): Promise<PullSummary> {
  const { data } = await askGitHub(`reading pull request ${fullName(repo)}#${number}`, () =>
    github.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number }),
  );
  return { author: data.user?.login ?? null, commits: data.commits };
}

async function readDefaultBranch(github: GitHub, repo: RepoRef): Promise<string> {
  const { data } = await askGitHub(`reading repository ${fullName(repo)}`, () => github.request("GET /repos/{owner}/{repo}", { ...repo }));
  return data.default_branch;
}
