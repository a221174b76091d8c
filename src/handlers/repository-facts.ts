// The facts a decision reads in the App: GitHub through the installation's client, and the count of
// today's approved deployments from the audit trail.
import type { AuditStore } from "../audit/store.js";
import type { DeploymentQuery } from "../core/facts.js";
import type { GitHub } from "../github/github-client.js";
import { octokitFacts, type GitHubFacts, type GitHubFactsSource } from "../github/repo-facts.js";
import type { HandlerDeps } from "./types.js";

export interface Repository {
  owner: string;
  repo: string;
  /** "owner/name" as the audit trail records it. */
  fullName: string;
}

export function repositoryFacts(
  github: GitHub,
  deps: Pick<HandlerDeps, "store">,
  repository: Repository,
  extra: Pick<GitHubFactsSource, "ownCheckRun" | "proposedPolicy"> = {},
): GitHubFacts {
  return octokitFacts(github, {
    owner: repository.owner,
    repo: repository.repo,
    approvedDeployments: (query) => approvedDeployments(deps.store, repository.fullName, query),
    ...extra,
  });
}

/** Deployments of `repository` to the query's environment approved since the query's `since`. */
export function approvedDeployments(
  store: Pick<AuditStore, "count">,
  repository: string,
  { environment, since }: Pick<DeploymentQuery, "environment" | "since">,
): Promise<number> {
  return store.count({ policy: "deploy", decision: "allow", repository, environment, since });
}
