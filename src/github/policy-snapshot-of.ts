// The first stage's snapshot (src/core/facts.ts) from the facts query's answer: the policy file, the
// repository's own facts, its rule files, and the owner's `.github` repository's policies.
import type { OrgPolicies, PolicySnapshot, RepositoryFacts } from "../core/facts.js";
import type { PolicyName } from "../domain/policy-name.js";
import { CONFIG_PATHS } from "../policy/load-repo-config.js";
import type { FactsAnswer } from "./facts-answer.js";
import { ORG_CONFIG_PATHS, PAGE } from "./facts-queries.js";
import type { GitHub, RepoRef } from "./github-client.js";
import { policyFileOf } from "./policy-file-of.js";
import { NO_RULE_FILES, ruleFilesOf } from "./rule-files-of.js";

export async function policySnapshotOf(github: GitHub, policy: PolicyName, answer: FactsAnswer & { repository: object }): Promise<PolicySnapshot> {
  const { repository } = answer;
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const branch = repository.defaultBranchRef;
  const org = await orgPoliciesOf(github, answer.org);
  // An empty repository has no default branch, so no policy file either.
  if (!branch) {
    const defaultBranch = "(none: the repository is empty)";
    return { defaultBranch, file: null, repository: repositoryFactsOf(repository, defaultBranch), rules: NO_RULE_FILES, org };
  }
  const ref = `refs/heads/${branch.name}`;
  return {
    defaultBranch: branch.name,
    file: await policyFileOf(github, repo, CONFIG_PATHS[policy], branch.name, branch.target?.file),
    repository: repositoryFactsOf(repository, branch.name),
    rules: ruleFilesOf(branch.target?.rules, ref, repository.nameWithOwner),
    org,
  };
}

function repositoryFactsOf(repository: NonNullable<FactsAnswer["repository"]>, defaultBranch: string): RepositoryFacts {
  const where = repository.nameWithOwner;
  // GitHub allows 20 topics; more would mean the answer is not what repol reads.
  if (repository.repositoryTopics.pageInfo.hasNextPage) throw new Error(`${where} has more topics than the ${PAGE.topics} repol reads`);
  const topics = (repository.repositoryTopics.nodes ?? []).map((node) => {
    if (!node) throw new Error(`GitHub left out a topic of ${where}`);
    return node.topic.name;
  });
  return { fullName: where, owner: repository.owner.login, name: repository.name, private: repository.isPrivate, defaultBranch, topics };
}

/** null when GitHub did not find the repository, or it is empty (no default branch, so no policies). */
async function orgPoliciesOf(github: GitHub, org: FactsAnswer["org"]): Promise<OrgPolicies | null> {
  const branch = org?.defaultBranchRef;
  if (!org || !branch) return null;
  const [owner = "", name = ""] = org.nameWithOwner.split("/");
  const repo: RepoRef = { owner, repo: name };
  const file = (key: keyof typeof ORG_CONFIG_PATHS) => policyFileOf(github, repo, ORG_CONFIG_PATHS[key], branch.name, branch.target?.[key]);
  const [deploy, pullrequest, orgFile] = await Promise.all([file("deploy"), file("pullrequest"), file("org")]);
  return {
    repository: org.nameWithOwner,
    defaultBranch: branch.name,
    files: { deploy, pullrequest, org: orgFile },
    rules: ruleFilesOf(branch.target?.rules, `refs/heads/${branch.name}`, org.nameWithOwner),
  };
}
