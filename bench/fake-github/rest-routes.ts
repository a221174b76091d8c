// Every REST route repol calls (and the neighbours a GitHub-facts change is likely to call), answered
// from the repositories' data. Each route is named by GitHub's own template, which is the label the
// bench counts calls under; `{name+}` marks a parameter that may hold slashes (file paths, refs).
import { createHash } from "node:crypto";
import { failure, json, paged, type GitHubReply, type GitHubRequest } from "../../test/helpers/github-router.js";
import {
  appCheckRunJson,
  ciCheckRunJson,
  commitJson,
  contentJson,
  environmentJson,
  gitRefJson,
  pullJson,
  repositoryJson,
  reviewJson,
  statusJson,
} from "./github-json.js";
import type { FakeRepository } from "./repositories.js";

/** A verdict reaching GitHub: a deployment review sent to the callback, or one of our check runs completed. */
export interface Answer {
  kind: "deployment" | "check_run";
  /** The workflow run id for a deployment, `owner/name@sha` for a check run. */
  key: string;
  /** "approved" / "rejected", or the check run's conclusion. */
  verdict: string;
  /** Milliseconds since the epoch, with sub-millisecond precision. */
  at: number;
  /** Why, for a verdict that is not an approval (the callback's comment or the check's title). */
  why?: string;
  /** Milliseconds since the repository's last GraphQL query: the time from reading the facts to answering. */
  afterFactsMs?: number;
}

export interface RouteContext {
  request: GitHubRequest;
  params: Record<string, string>;
  /** The repository the path names; routes under /repos/{owner}/{repo} only run when it exists. */
  repo: FakeRepository;
  appId: number;
  answered(answer: Omit<Answer, "at">): void;
}

export interface RestRoute {
  method: string;
  template: string;
  reply(context: RouteContext): GitHubReply;
}

let nextCheckRunId = 5_000_000;
const blobSha = (text: string) =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest("hex");
const pullOf = ({ repo, params }: RouteContext) => repo.pulls.find((pull) => pull.number === Number(params.pull_number));
const checksOf = ({ repo, params }: RouteContext) => repo.checks[params.ref ?? params.commit_sha ?? ""] ?? { runs: [], statuses: [] };

export const REST_ROUTES: RestRoute[] = [
  { method: "GET", template: "/app", reply: ({ appId }) => json(200, { id: appId, slug: "repol", name: "repol", owner: { login: "acme" } }) },
  { method: "GET", template: "/app/hook/deliveries", reply: () => json(200, []) },
  {
    method: "POST",
    template: "/app/installations/{installation_id}/access_tokens",
    reply: ({ params }) =>
      json(201, {
        token: `ghs_bench${params.installation_id}${"x".repeat(28)}`,
        expires_at: "2099-01-01T00:00:00Z",
        permissions: {},
        repository_selection: "all",
      }),
  },
  { method: "GET", template: "/repos/{owner}/{repo}", reply: ({ repo }) => json(200, repositoryJson(repo)) },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/contents/{path+}",
    reply: ({ repo, params, request }) => {
      const text = repo.files[params.path!];
      if (text === undefined || request.query.get("ref") !== `refs/heads/${repo.defaultBranch}`) return failure(404);
      // GitHub's validators: a weak ETag of the blob, revalidated with a free 304.
      const sha = blobSha(text);
      if (request.headers["if-none-match"] === `W/"${sha}"`) return { status: 304 };
      return json(200, contentJson(repo, params.path!, text, sha), { etag: `W/"${sha}"`, "cache-control": "private, max-age=60, s-maxage=60" });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/environments",
    reply: ({ repo, request }) =>
      paged(
        request,
        repo.environments.map((name, i) => environmentJson(repo, name, i)),
        (page, total) => ({ total_count: total, environments: page }),
      ),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/ref/{ref+}",
    reply: ({ repo, params }) => {
      const [kind, ...rest] = params.ref!.split("/");
      const name = rest.join("/");
      const known = kind === "heads" ? repo.branches : kind === "tags" ? repo.tags : [];
      return known.includes(name) ? json(200, gitRefJson(repo, `refs/${params.ref}`, repo.deployedSha)) : failure(404);
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    reply: ({ repo, params, request }) =>
      paged(
        request,
        repo.pulls
          .filter((pull) => pull.headSha === params.commit_sha || (pull.merged && repo.deployedSha === params.commit_sha))
          .map((pull) => pullJson(repo, pull)),
      ),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    reply: (context) => {
      const { repo, params, request, appId } = context;
      const name = request.query.get("check_name");
      const ours = repo.appCheckRuns.filter((run) => run.headSha === params.ref).map((run) => appCheckRunJson(repo, run, appId));
      const runs = [...checksOf(context).runs.map((check, i) => ciCheckRunJson(repo, params.ref!, check, i)), ...ours].filter(
        (run) => (!name || run.name === name) && (!request.query.get("app_id") || String(run.app.id) === request.query.get("app_id")),
      );
      return paged(request, runs, (page, total) => ({ total_count: total, check_runs: page }));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/statuses",
    reply: (context) =>
      paged(
        context.request,
        checksOf(context).statuses.map((check, i) => statusJson(context.repo, context.params.ref!, check, i)),
      ),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}",
    reply: ({ repo, params }) => {
      const commit =
        repo.pulls.flatMap((pull) => pull.commits).find((c) => c.sha === params.ref) ??
        (params.ref === repo.deployedSha ? repo.pulls[0]!.commits.at(-1) : undefined);
      return commit ? json(200, commitJson(repo, { ...commit, sha: params.ref! })) : failure(404);
    },
  },
  { method: "GET", template: "/repos/{owner}/{repo}/pulls/{pull_number}", reply: (c) => (pullOf(c) ? json(200, pullJson(c.repo, pullOf(c)!)) : failure(404)) },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    reply: (c) =>
      paged(
        c.request,
        (pullOf(c)?.reviews ?? []).map((_, i) => reviewJson(c.repo, pullOf(c)!, i)),
      ),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    reply: (c) =>
      paged(
        c.request,
        (pullOf(c)?.commits ?? []).map((commit) => commitJson(c.repo, commit)),
      ),
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/check-runs",
    reply: ({ repo, request, appId, answered }) => {
      const body = request.body as { name: string; head_sha: string; status?: string; conclusion?: string; output?: { title?: string } };
      const run = {
        id: nextCheckRunId++,
        name: body.name,
        headSha: body.head_sha,
        status: body.conclusion ? "completed" : (body.status ?? "queued"),
        conclusion: body.conclusion ?? null,
      };
      repo.appCheckRuns.push(run);
      if (run.conclusion) answered({ kind: "check_run", key: `${repo.owner}/${repo.name}@${run.headSha}`, verdict: run.conclusion, why: body.output?.title });
      return json(201, appCheckRunJson(repo, run, appId));
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    reply: ({ repo, params, request, appId, answered }) => {
      const run = repo.appCheckRuns.find((r) => r.id === Number(params.check_run_id));
      if (!run) return failure(404);
      const body = request.body as { status?: string; conclusion?: string; output?: { title?: string } };
      if (body.status) run.status = body.status;
      // Follow-up updates carry more annotations and no conclusion: only the first that concludes is the answer.
      if (body.conclusion) {
        run.status = "completed";
        run.conclusion = body.conclusion;
        answered({ kind: "check_run", key: `${repo.owner}/${repo.name}@${run.headSha}`, verdict: body.conclusion, why: body.output?.title });
      }
      return json(200, appCheckRunJson(repo, run, appId));
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule",
    reply: ({ params, request, answered }) => {
      const body = request.body as { state: string; comment?: string };
      answered({ kind: "deployment", key: params.run_id!, verdict: body.state, why: body.comment });
      return json(204);
    },
  },
];
