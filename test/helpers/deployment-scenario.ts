// One deployment as GitHub would see it: the webhook payload and every REST answer repol needs,
// described as data and served as routes (through nock or the fake server).
import { readFileSync } from "node:fs";
import { failure, json, paged, type GitHubRequest, type Route } from "./github-router.js";
import {
  commitJson,
  installationToken,
  OWNER,
  pullCommits,
  REPO,
  repoPath,
  scenarioRoute,
  signedOff,
  type CommitSpec,
  type Payload,
} from "./scenario-routes.js";

export { OWNER, REPO, signedOff, type CommitSpec, type Payload } from "./scenario-routes.js";

const fixtures = new URL("../fixtures/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, fixtures), "utf8");

export const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
export const RUN_ID = 7654321098;
export const INSTALLATION_ID = 52345678;
export const DEPLOY_YAML = read("github/deploy.yaml");
const users = JSON.parse(read("github/users.json")) as Record<string, { login: string; id: number }>;

/** The recorded deployment_protection_rule.requested webhook, with overrides applied. */
export function deploymentPayload(change: (payload: Payload) => void = () => {}): Payload {
  const payload = JSON.parse(read("webhooks/deployment_protection_rule.requested.json")) as Payload;
  change(payload);
  return payload;
}

export interface PullSpec {
  number: number;
  author: string;
  state?: "open" | "closed";
  merged?: boolean;
  /** [login, state, minutes after the first review] */
  reviews?: [string, "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING", number?][];
  commits?: CommitSpec[];
  /** What the pull request says its commit count is (defaults to commits.length). */
  commitCount?: number;
}

export interface CheckRunSpec {
  name: string;
  status?: "queued" | "in_progress" | "completed" | "waiting";
  conclusion?: string | null;
  /** The Actions run the check belongs to; defaults to an unrelated CI run. */
  runId?: number;
}

export interface Scenario {
  config: string | null;
  environments: string[];
  branches: string[];
  tags: string[];
  pulls: PullSpec[];
  checkRuns: CheckRunSpec[];
  statuses: { context: string; state: "success" | "pending" | "failure" | "error" }[];
  /** The deployed commit itself, read when no pull request is behind it. */
  commit: CommitSpec;
  /** Routes that answer with this HTTP status instead. */
  fail: Partial<Record<RouteName, number>>;
  callbackStatus: number;
}

export type RouteName =
  | "installation-token"
  | "config-file"
  | "environments"
  | "git-ref"
  | "commit-pulls"
  | "pull"
  | "reviews"
  | "pull-commits"
  | "check-runs"
  | "statuses"
  | "commit"
  | "callback"
  | "graphql";

/** A deployment of main that meets every production rule of test/fixtures/github/deploy.yaml. */
export function passingScenario(change: Partial<Scenario> = {}): Scenario {
  return {
    config: DEPLOY_YAML,
    environments: ["production", "staging", "sandbox"],
    branches: ["main", "release/1.2"],
    tags: ["v1.0.0"],
    pulls: [
      {
        number: 42,
        author: "alice",
        state: "closed",
        merged: true,
        reviews: [
          ["bob", "APPROVED", 1],
          ["carol", "APPROVED", 2],
        ],
        commits: [signedOff("alice@example.com", "Add login form"), signedOff("alice@example.com", "Fix typo")],
      },
    ],
    checkRuns: [
      { name: "build", conclusion: "success" },
      { name: "unit-tests", conclusion: "success" },
      { name: "deploy-production", status: "waiting", conclusion: null, runId: RUN_ID },
    ],
    statuses: [{ context: "ci/jenkins", state: "success" }],
    commit: signedOff("alice@example.com"),
    fail: {},
    callbackStatus: 204,
    ...change,
  };
}

/** The GitHub API of the scenario, one named route per call repol makes. */
export function scenarioRoutes(scenario: Scenario): Route[] {
  const route = scenarioRoute<RouteName>(() => scenario.fail);
  const pull = (number: string) => scenario.pulls.find((spec) => spec.number === Number(number));
  return [
    route("installation-token", "POST", "^/app/installations/(\\d+)/access_tokens$", installationToken({ deployments: "write", contents: "read" })),
    route("config-file", "GET", `${repoPath}/contents/(.+)$`, (request, [, path]) =>
      path === ".repol/deploy.yaml" && request.query.get("ref") === "refs/heads/main" && scenario.config !== null
        ? json(200, contentFile(path, scenario.config))
        : failure(404),
    ),
    route("environments", "GET", `${repoPath}/environments$`, (request) =>
      paged(request, scenario.environments.map(environment), (page, total) => ({ total_count: total, environments: page })),
    ),
    route("git-ref", "GET", `${repoPath}/git/ref/(heads|tags)/(.+)$`, (_request, [, kind, name]) =>
      (kind === "heads" ? scenario.branches : scenario.tags).includes(name!) ? json(200, gitRef(`refs/${kind}/${name}`)) : failure(404),
    ),
    route("commit-pulls", "GET", `${repoPath}/commits/${SHA}/pulls$`, (request) => paged(request, scenario.pulls.map(pullRequest))),
    route("pull", "GET", `${repoPath}/pulls/(\\d+)$`, (_request, [, number]) => (pull(number!) ? json(200, pullRequest(pull(number!)!)) : failure(404))),
    route("reviews", "GET", `${repoPath}/pulls/(\\d+)/reviews$`, (request, [, number]) => paged(request, reviewsOf(pull(number!)))),
    route(
      "pull-commits",
      "GET",
      `${repoPath}/pulls/(\\d+)/commits$`,
      pullCommits(
        (number) => pull(String(number))?.commits,
        (spec, i) => commit(spec, i),
      ),
    ),
    route("check-runs", "GET", `${repoPath}/commits/${SHA}/check-runs$`, (request) =>
      paged(request, scenario.checkRuns.map(checkRun), (page, total) => ({ total_count: total, check_runs: page })),
    ),
    route("statuses", "GET", `${repoPath}/commits/${SHA}/statuses$`, (request) => paged(request, scenario.statuses.map(commitStatus).reverse())),
    route("commit", "GET", `${repoPath}/commits/${SHA}$`, () => json(200, commit(scenario.commit, 0, SHA))),
    // GraphQL is answered from the routes above (github-graphql.ts); this replaces it only to make it fail.
    ...(scenario.fail.graphql ? [route("graphql", "POST", "^(?:/api)?/graphql$", () => failure(500))] : []),
    route("callback", "POST", `${repoPath}/actions/runs/(\\d+)/deployment_protection_rule$`, () =>
      scenario.callbackStatus === 204 ? json(204) : failure(scenario.callbackStatus, "No pending deployment requests to approve or reject"),
    ),
  ];
}

function contentFile(path: string, text: string) {
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(text),
    name: path.split("/").at(-1),
    path,
    content: Buffer.from(text)
      .toString("base64")
      .replace(/(.{60})/g, "$1\n"),
    sha: "9c1f3a7e2b4d6f8a0c2e4a6b8d0f2a4c6e8b0d2f",
    url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${path}?ref=main`,
    git_url: `https://api.github.com/repos/${OWNER}/${REPO}/git/blobs/9c1f3a7e2b4d6f8a0c2e4a6b8d0f2a4c6e8b0d2f`,
    html_url: `https://github.com/${OWNER}/${REPO}/blob/main/${path}`,
    download_url: `https://raw.githubusercontent.com/${OWNER}/${REPO}/main/${path}`,
  };
}

function environment(name: string, i: number) {
  return {
    id: 161088068 + i,
    node_id: `EN_kwDOKbH3QM4JmY${i}`,
    name,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/environments/${encodeURIComponent(name)}`,
    html_url: `https://github.com/${OWNER}/${REPO}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
    created_at: "2024-02-01T10:00:00Z",
    updated_at: "2025-06-01T10:00:00Z",
    protection_rules: [],
    deployment_branch_policy: null,
  };
}

function gitRef(ref: string) {
  return { ref, node_id: "REF_kwDOKbH3QA", url: `https://api.github.com/repos/${OWNER}/${REPO}/git/${ref}`, object: { sha: SHA, type: "commit", url: "" } };
}

function user(login: string) {
  return users[login] ?? { login, id: 10_000 + login.length, type: "User", site_admin: false };
}

function pullRequest(spec: PullSpec) {
  const merged = spec.merged ?? false;
  return {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${spec.number}`,
    id: 1_900_000_000 + spec.number,
    number: spec.number,
    state: spec.state ?? "open",
    locked: false,
    title: `Pull request ${spec.number}`,
    user: user(spec.author),
    draft: false,
    merged,
    merged_at: merged ? "2025-11-21T09:58:00Z" : null,
    merge_commit_sha: merged ? SHA : null,
    head: { ref: `feature-${spec.number}`, sha: SHA, repo: { id: 700123456, full_name: `${OWNER}/${REPO}` } },
    base: { ref: "main", sha: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", repo: { id: 700123456, full_name: `${OWNER}/${REPO}` } },
    commits: spec.commitCount ?? spec.commits?.length ?? 0,
    additions: 10,
    deletions: 2,
    changed_files: 3,
    author_association: "MEMBER",
  };
}

function reviewsOf(spec: PullSpec | undefined) {
  return (spec?.reviews ?? []).map(([login, state, minutes = 0], i) => ({
    id: 80_000 + i,
    node_id: `PRR_kwDO${i}`,
    user: user(login),
    body: "",
    state,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${spec!.number}#pullrequestreview-${80_000 + i}`,
    pull_request_url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${spec!.number}`,
    submitted_at: state === "PENDING" ? undefined : new Date(Date.UTC(2025, 10, 20, 12, 0) + minutes * 60_000).toISOString().replace(".000", ""),
    commit_id: SHA,
    author_association: "MEMBER",
  }));
}

function commit(spec: CommitSpec, i: number, sha = `${(i + 1).toString(16).padStart(8, "0")}${"c".repeat(32)}`) {
  return commitJson(spec, i, { sha, date: "2025-11-20T11:00:00Z" });
}

function checkRun(spec: CheckRunSpec, i: number) {
  const runId = spec.runId ?? 7_650_000_000 + i;
  const status = spec.status ?? "completed";
  const url = `https://github.com/${OWNER}/${REPO}/actions/runs/${runId}/job/${31_000_000_000 + i}`;
  return {
    id: 31_000_000_000 + i,
    head_sha: SHA,
    node_id: `CR_kwDO${i}`,
    external_id: "",
    url: `https://api.github.com/repos/${OWNER}/${REPO}/check-runs/${31_000_000_000 + i}`,
    html_url: url,
    details_url: url,
    status,
    conclusion: status === "completed" ? (spec.conclusion ?? "success") : null,
    started_at: "2025-11-21T10:00:00Z",
    completed_at: status === "completed" ? "2025-11-21T10:05:00Z" : null,
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    name: spec.name,
    check_suite: { id: 18_000_000_000 + i },
    app: { id: 15368, slug: "github-actions", name: "GitHub Actions" },
    pull_requests: [],
  };
}

function commitStatus(spec: Scenario["statuses"][number], i: number) {
  return {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/statuses/${SHA}`,
    id: 20_000_000 + i,
    node_id: `SC_kwDO${i}`,
    state: spec.state,
    description: `Build ${spec.state}`,
    target_url: `https://ci.example.com/job/${i}`,
    context: spec.context,
    created_at: `2025-11-21T10:0${i % 10}:00Z`,
    updated_at: `2025-11-21T10:0${i % 10}:00Z`,
    creator: user("github-actions[bot]"),
  };
}

/** The JSON bodies repol posted to the deployment protection rule callback. */
export function callbackBodies(requests: readonly GitHubRequest[]): { environment_name: string; state: string; comment: string }[] {
  return requests
    .filter((request) => request.method === "POST" && /\/deployment_protection_rule$/.test(request.path))
    .map((request) => request.body as { environment_name: string; state: string; comment: string });
}
