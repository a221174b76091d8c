// Deployment facts as plain data for decideDeployment tests: the snapshots the GraphQL query would
// give, with no HTTP at all.
import type { DecisionFacts, DeploymentEvidence, PullRequestFacts } from "../../src/core/facts.js";
import type { CommitLike } from "../../src/core/judge-sign-off.js";
import { DEPLOY_YAML } from "./deployment-scenario.js";

export const signed = (email: string): CommitLike => ({ sha: "a".repeat(40), commit: { message: `Do it\n\nSigned-off-by: X <${email}>`, author: { email } } });

/** A pull request whose approvers each left one approving review. */
export function pull(number: number, author: string, approvers: string[], commits: CommitLike[] = [signed(`${author}@example.com`)]): PullRequestFacts {
  return { number, author, commitCount: commits.length, reviews: approvers.map((login) => ({ user: { login }, state: "APPROVED" })), commits };
}

export interface FakeFacts {
  config?: string;
  evidence?: Partial<DeploymentEvidence> | ((since: string) => Promise<Partial<DeploymentEvidence>>);
}

export function facts({ config = DEPLOY_YAML, evidence = {} }: FakeFacts = {}, calls: string[] = []): DecisionFacts {
  return {
    policy: async () => {
      calls.push("policy");
      return { defaultBranch: "main", file: { path: ".repol/deploy.yaml", ref: "refs/heads/main", text: config, sha: "blob" } };
    },
    deploymentEvidence: async (query) => {
      calls.push("deploymentEvidence");
      return {
        environments: ["production"],
        refKind: "branch",
        pulls: [pull(1, "alice", ["bob", "carol"])],
        commit: null,
        checkRuns: [{ name: "ci", status: "completed", conclusion: "success" }],
        statuses: [],
        approvedDeploymentsToday: 0,
        ...(typeof evidence === "function" ? await evidence(query.since) : evidence),
      };
    },
    pullRequestEvidence: async () => Promise.reject(new Error("a deployment asks for no single pull request")),
  };
}
