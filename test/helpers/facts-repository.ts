// One repository and its pull request #7 as GitHub's REST routes describe them, read through
// octokitFacts and the GraphQL fake over nock: what the facts tests share.
import type { PullRequestQuery } from "../../src/core/facts.js";
import { octokitFacts } from "../../src/github/repo-facts.js";
import { graphqlOperations } from "./github-graphql.js";
import { failure, json, paged, type Route } from "./github-router.js";
import { nockGitHub } from "./nock-github.js";
import { contentsRoute } from "./repository-contents.js";
import { TestOctokit } from "./test-probot.js";

export const HEAD = "3f786850e387550fdab836ed7e6dc881de23001b";
export const query = (wantAllChangedFiles = false): PullRequestQuery => ({ policy: "pullrequest", number: 7, headSha: HEAD, wantAllChangedFiles });
export const STATUSES = ["added", "removed", "modified", "renamed", "copied", "changed"];

export interface Repo {
  files?: Record<string, string | Uint8Array>;
  changedFiles?: number;
  labels?: string[];
  listedFiles?: number;
  org?: Record<string, string | Uint8Array> | "absent" | "broken";
  /** Ask the query for the head's `.repol` files, as for a pull request that may need a policy preview. */
  proposedPolicy?: boolean;
  /** GitHub fails (500) to give any file at the pull request's head. */
  failingAtHead?: boolean;
}

function routes({
  files = {},
  changedFiles = 3,
  listedFiles = changedFiles,
  org = "absent",
  labels = ["do-not-merge", "infra"],
  failingAtHead,
}: Repo): Route[] {
  const route = (name: string, path: string, reply: Route["reply"]): Route => ({ name, method: "GET", path: new RegExp(path), reply });
  const pull = {
    number: 7,
    state: "open",
    title: "Move the ledger to infra/",
    body: null,
    draft: true,
    user: { login: "alice" },
    labels: labels.map((name) => ({ name })),
    head: { ref: "feature/ledger", sha: HEAD, repo: { full_name: "acme/widgets" } },
    base: { ref: "main", repo: { full_name: "acme/widgets" } },
    additions: 120,
    deletions: 30,
    changed_files: changedFiles,
    commits: 1,
  };
  const listed = Array.from({ length: listedFiles }, (_, i) => ({ filename: `src/file-${i}.ts`, status: STATUSES[i % 6], additions: i, deletions: 1 }));
  return [
    route("repository", "^/repos/acme/widgets$", () =>
      json(200, { default_branch: "main", private: true, topics: ["payments", "pci"], owner: { login: "acme", type: "Organization" } }),
    ),
    route("pull", "^/repos/acme/widgets/pulls/7$", () => json(200, pull)),
    route("pull-files", "^/repos/acme/widgets/pulls/7/files$", (request) => paged(request, listed)),
    route("reviews", "^/repos/acme/widgets/pulls/7/reviews$", () => json(200, [])),
    route("pull-commits", "^/repos/acme/widgets/pulls/7/commits$", () => json(200, [])),
    atHead(contentsRoute("acme/widgets", files), failingAtHead === true),
    ...(org === "absent" ? [route("org-repository", "^/repos/acme/\\.github$", () => failure(404))] : []),
    ...(org === "broken" ? [route("org-contents", "^/repos/acme/\\.github/contents/", () => failure(500))] : []),
    ...(typeof org === "object" ? [contentsRoute("acme/.github", org, "org-contents")] : []),
  ];
}

function atHead(contents: Route, failing: boolean): Route {
  return failing ? { ...contents, reply: (request, match) => (request.query.get("ref") === HEAD ? failure(500) : contents.reply(request, match)) } : contents;
}

export function factsOf(repo: Repo) {
  const github = nockGitHub(routes(repo));
  const facts = octokitFacts(new TestOctokit({ auth: "token", retry: { enabled: false } }), {
    owner: "acme",
    repo: "widgets",
    approvedDeployments: async () => 0,
    proposedPolicy: repo.proposedPolicy === true,
  });
  return { github, facts, operations: () => graphqlOperations(github.requests) };
}
