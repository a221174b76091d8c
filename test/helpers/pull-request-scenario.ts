// One repository as GitHub would show it to the pull request check: config per branch, pull requests
// with reviews and commits, and a stateful Checks API (created runs can be listed and updated), served
// as routes so tests assert both what repol sent and what GitHub ends up showing.
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
import { TEST_APP_ID } from "./test-probot.js";

export { OWNER, REPO, signedOff, type CommitSpec, type Payload } from "./scenario-routes.js";

export const REPO_ID = 7001;
export const HEAD_SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
export const FORK_SHA = "e5fa44f2b31c1fb553b6021e7360d07d5d91ff5e";
export const CONFIG_PATH = ".repol/pullrequest.yaml";

/** A recorded webhook from test/fixtures/webhooks, with overrides applied. */
export function webhook(name: string, change: (payload: Payload) => void = () => {}): Payload {
  const payload = JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), "utf8")) as Payload;
  change(payload);
  return payload;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface PullSpec {
  number: number;
  author: string;
  headRef: string;
  headSha: string;
  /** "owner/name" of the head repository. */
  headRepo: string;
  baseRef: string;
  draft: boolean;
  state: "open" | "closed";
  /** [login, state], oldest first (a minute apart). */
  reviews: [string, ReviewState][];
  commits: CommitSpec[];
  /** What the pull request says its commit count is (defaults to commits.length). */
  commitCount?: number;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  app: { id: number; slug: string };
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: { path: string; start_line: number; message: string; annotation_level: string }[];
}

export type RouteName =
  | "installation-token"
  | "config-file"
  | "pull"
  | "reviews"
  | "pull-commits"
  | "commit-pulls"
  | "list-check-runs"
  | "create-check-run"
  | "update-check-run";

export interface PullRequestScenario {
  /** `.repol/pullrequest.yaml` per branch. */
  configs: Record<string, string>;
  pulls: PullSpec[];
  checkRuns: FakeCheckRun[];
  fail: Partial<Record<RouteName, number>>;
}

/** A policy file with the given rules (YAML flow style keeps it one line per key). */
export function policyYaml(rules: Record<string, unknown>, branchRules?: { source: string; target: string }[]): string {
  const lines = ["policy:", "  version: 1"];
  if (branchRules) lines.push(`  branch_rules: ${JSON.stringify(branchRules)}`);
  lines.push("  rules:");
  for (const [key, value] of Object.entries(rules)) lines.push(`    ${key}: ${JSON.stringify(value)}`);
  if (Object.keys(rules).length === 0) lines[lines.length - 1] = "  rules: {}";
  return `${lines.join("\n")}\n`;
}

/** Pull request #42 (feature/login → main by alice, two signed-off commits) and #44 from a fork. */
export function scenario(change: Partial<PullRequestScenario> = {}): PullRequestScenario {
  return {
    configs: { main: policyYaml({ approvals_required: 1, signed_off: true }) },
    pulls: [
      {
        number: 42,
        author: "alice",
        headRef: "feature/login",
        headSha: HEAD_SHA,
        headRepo: `${OWNER}/${REPO}`,
        baseRef: "main",
        draft: false,
        state: "open",
        reviews: [],
        commits: [signedOff("alice@acme.example", "Add login form"), signedOff("alice@acme.example", "Fix typo")],
      },
      {
        number: 44,
        author: "mallory",
        headRef: "main",
        headSha: FORK_SHA,
        headRepo: `mallory/${REPO}`,
        baseRef: "main",
        draft: false,
        state: "open",
        reviews: [],
        commits: [signedOff("mallory@evil.example", "Relax rules")],
      },
    ],
    checkRuns: [],
    fail: {},
    ...change,
  };
}

export function pullOf(s: PullRequestScenario, number: number): PullSpec {
  const pull = s.pulls.find((p) => p.number === number);
  if (!pull) throw new Error(`scenario has no pull request #${number}`);
  return pull;
}

export function scenarioRoutes(s: PullRequestScenario): Route[] {
  const route = scenarioRoute<RouteName>(() => s.fail);
  const pull = (number: string) => s.pulls.find((p) => p.number === Number(number));
  let nextRunId = 990_001;
  return [
    route(
      "installation-token",
      "POST",
      "^/app/installations/(\\d+)/access_tokens$",
      installationToken({ checks: "write", contents: "read", pull_requests: "read" }),
    ),
    route("config-file", "GET", `${repoPath}/contents/(.+)$`, (request, [, path]) => {
      const branch = request.query.get("ref")?.replace(/^refs\/heads\//, "");
      const text = branch !== undefined ? s.configs[branch] : undefined;
      return path === CONFIG_PATH && text !== undefined ? json(200, contentFile(path, text, branch!)) : failure(404);
    }),
    route("pull", "GET", `${repoPath}/pulls/(\\d+)$`, (_request, [, number]) => (pull(number!) ? json(200, pullRequest(pull(number!)!)) : failure(404))),
    route("reviews", "GET", `${repoPath}/pulls/(\\d+)/reviews$`, (request, [, number]) => paged(request, reviewsOf(pull(number!)))),
    route(
      "pull-commits",
      "GET",
      `${repoPath}/pulls/(\\d+)/commits$`,
      pullCommits((number) => pull(String(number))?.commits, commit),
    ),
    route("commit-pulls", "GET", `${repoPath}/commits/([0-9a-f]{40})/pulls$`, (request, [, sha]) =>
      paged(request, s.pulls.filter((p) => p.headSha === sha).map(pullRequest)),
    ),
    route("list-check-runs", "GET", `${repoPath}/commits/([0-9a-f]{40})/check-runs$`, (request, [, sha]) => {
      const name = request.query.get("check_name");
      const appId = request.query.get("app_id");
      const runs = s.checkRuns.filter((run) => run.head_sha === sha && (!name || run.name === name) && (!appId || String(run.app.id) === appId));
      return paged(request, runs.map(checkRunJson), (page, total) => ({ total_count: total, check_runs: page }));
    }),
    route("create-check-run", "POST", `${repoPath}/check-runs$`, (request) => {
      const body = request.body as Payload;
      const run: FakeCheckRun = {
        id: nextRunId++,
        name: body.name,
        head_sha: body.head_sha,
        app: { id: TEST_APP_ID, slug: "repol" },
        status: body.conclusion ? "completed" : (body.status ?? "queued"),
        conclusion: body.conclusion ?? null,
        output: { title: null, summary: null, text: null },
        annotations: [],
      };
      applyOutput(run, body.output);
      s.checkRuns.push(run);
      return json(201, checkRunJson(run));
    }),
    route("update-check-run", "PATCH", `${repoPath}/check-runs/(\\d+)$`, (request, [, id]) => {
      const run = s.checkRuns.find((r) => r.id === Number(id));
      if (!run) return failure(404);
      if (run.app.id !== TEST_APP_ID) return failure(403, "Invalid app_id `1` - check run can only be modified by the GitHub App that created it.");
      const body = request.body as Payload;
      if (body.name) run.name = body.name;
      if (body.status) run.status = body.status;
      if (body.conclusion) {
        run.status = "completed";
        run.conclusion = body.conclusion;
      }
      applyOutput(run, body.output);
      return json(200, checkRunJson(run));
    }),
  ];
}

function applyOutput(run: FakeCheckRun, output: Payload | undefined): void {
  if (!output) return;
  if ((output.annotations?.length ?? 0) > 50) throw new Error("GitHub rejects more than 50 annotations per request");
  run.output = { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null };
  // GitHub appends annotations across updates of a run.
  run.annotations.push(...(output.annotations ?? []));
}

/** Our check runs as GitHub would show them (name, conclusion, output). */
export function checkRunsOf(s: PullRequestScenario, sha = HEAD_SHA): FakeCheckRun[] {
  return s.checkRuns.filter((run) => run.head_sha === sha);
}

/** A check run that someone else (another app, another time) already has on the commit. */
export function existingCheckRun(id: number, name: string, change: Partial<FakeCheckRun> = {}): FakeCheckRun {
  return {
    id,
    name,
    head_sha: HEAD_SHA,
    app: { id: TEST_APP_ID, slug: "repol" },
    status: "completed",
    conclusion: "failure",
    output: { title: "earlier verdict", summary: "", text: null },
    annotations: [],
    ...change,
  };
}

/** The bodies repol sent to the named write route, in order. */
export function sentBodies(requests: readonly (GitHubRequest & { route: string })[], route: RouteName): Payload[] {
  return requests.filter((request) => request.route === route).map((request) => request.body as Payload);
}

function checkRunJson(run: FakeCheckRun) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    node_id: `CR_${run.id}`,
    external_id: "",
    status: run.status,
    conclusion: run.conclusion,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/check-runs/${run.id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${run.id}`,
    details_url: `https://github.com/${OWNER}/${REPO}/runs/${run.id}`,
    started_at: "2026-05-01T10:11:20Z",
    completed_at: null,
    output: { ...run.output, annotations_count: run.annotations.length, annotations_url: "" },
    check_suite: { id: 555001 },
    app: { ...run.app, name: run.app.slug },
    pull_requests: [],
  };
}

function contentFile(path: string, text: string, branch: string) {
  const sha = `${Buffer.from(branch).toString("hex").padEnd(40, "0").slice(0, 40)}`;
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(text),
    name: path.split("/").at(-1),
    path,
    sha,
    content: Buffer.from(text)
      .toString("base64")
      .replace(/(.{60})/g, "$1\n"),
    url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${path}?ref=${branch}`,
    html_url: `https://github.com/${OWNER}/${REPO}/blob/${branch}/${path}`,
  };
}

function user(login: string) {
  return { login, id: 20_000 + [...login].reduce((sum, c) => sum + c.charCodeAt(0), 0), type: "User", site_admin: false };
}

function pullRequest(spec: PullSpec) {
  const [headOwner, headName] = spec.headRepo.split("/");
  return {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${spec.number}`,
    id: 1_900_000_000 + spec.number,
    number: spec.number,
    state: spec.state,
    locked: false,
    title: `Pull request ${spec.number}`,
    user: user(spec.author),
    draft: spec.draft,
    merged: false,
    merged_at: null,
    merge_commit_sha: null,
    head: {
      label: `${headOwner}:${spec.headRef}`,
      ref: spec.headRef,
      sha: spec.headSha,
      repo: { id: spec.headRepo === `${OWNER}/${REPO}` ? REPO_ID : 7002, name: headName, full_name: spec.headRepo },
    },
    base: {
      label: `${OWNER}:${spec.baseRef}`,
      ref: spec.baseRef,
      sha: "89e6c98d92887913cadf06b2adb97f26cde4849b",
      repo: { id: REPO_ID, name: REPO, full_name: `${OWNER}/${REPO}` },
    },
    commits: spec.commitCount ?? spec.commits.length,
    additions: 10,
    deletions: 2,
    changed_files: 3,
    author_association: "MEMBER",
  };
}

function reviewsOf(spec: PullSpec | undefined) {
  return (spec?.reviews ?? []).map(([login, state], i) => ({
    id: 80_000 + i,
    node_id: `PRR_${i}`,
    user: user(login),
    body: "",
    state,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${spec!.number}#pullrequestreview-${80_000 + i}`,
    pull_request_url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${spec!.number}`,
    submitted_at: state === "PENDING" ? undefined : new Date(Date.UTC(2026, 4, 1, 11, 0) + i * 60_000).toISOString().replace(".000", ""),
    commit_id: spec!.headSha,
    author_association: "MEMBER",
  }));
}

function commit(spec: CommitSpec, i: number) {
  return commitJson(spec, i, { sha: `${(i + 1).toString(16).padStart(8, "0")}${"d".repeat(32)}`, date: "2026-05-01T09:00:00Z" });
}

/** The verdicts repol wrote to check runs, in order: a run created with its verdict, or an update of one. */
export function verdictBodies(requests: readonly (GitHubRequest & { route: string })[]): Payload[] {
  return requests.filter((request) => request.route === "create-check-run" || request.route === "update-check-run").map((request) => request.body as Payload);
}
