// A fake GitHub API as plain routes, served either through nock (handler tests) or a real HTTP
// server on 127.0.0.1 (end-to-end). Every request is recorded so tests can assert what repol sent.
// GraphQL (github-graphql.ts) is always there, answered from the REST routes.
import { graphqlRoutes } from "./github-graphql.js";

export interface GitHubRequest {
  method: string;
  /** Path below the API root, decoded: "/repos/o/r/contents/.repol/deploy.yaml". */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Absolute URL of the API root the request came in on (for Link headers). */
  apiRoot: string;
}

export interface GitHubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  /** Names the GitHub call this route fakes; tests look requests up by it. */
  name: string;
  method: string;
  path: RegExp;
  reply(request: GitHubRequest, match: RegExpExecArray): GitHubReply;
}

export interface RecordedRequest extends GitHubRequest {
  /** The route that answered, or "unmatched". */
  route: string;
  status: number;
}

export interface GitHubRouter {
  handle(request: GitHubRequest): GitHubReply;
  readonly requests: RecordedRequest[];
  /** Requests answered by the named route. */
  calls(route: string): RecordedRequest[];
  /** What the fake GraphQL API read its answers from: REST routes, never requests repol made. */
  readonly graphqlReads: RecordedRequest[];
  /** graphqlReads of the named route. */
  readByGraphQL(route: string): RecordedRequest[];
  /** Replace or add routes (later routes win over earlier ones with the same name). */
  use(...routes: Route[]): void;
}

export function githubRouter(routes: Route[] = []): GitHubRouter {
  const requests: RecordedRequest[] = [];
  const graphqlReads: RecordedRequest[] = [];
  const answer = (request: GitHubRequest): { route: string; reply: GitHubReply } => {
    for (const route of [...table].reverse()) {
      if (route.method !== request.method) continue;
      const match = route.path.exec(request.path);
      if (match) return { route: route.name, reply: route.reply(request, match) };
    }
    return { route: "unmatched", reply: { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } } };
  };
  const readForGraphQL = (request: GitHubRequest) => {
    const { route, reply } = answer(request);
    graphqlReads.push({ ...request, route, status: reply.status });
    // The route's name tells the GraphQL fake a repository answered missing apart from one no route describes.
    return Object.assign({}, reply, { route });
  };
  let table = [...graphqlRoutes(readForGraphQL), ...routes];
  return {
    requests,
    calls: (route) => requests.filter((request) => request.route === route),
    graphqlReads,
    readByGraphQL: (route) => graphqlReads.filter((request) => request.route === route),
    use(...more) {
      const names = new Set(more.map((route) => route.name));
      table = [...table.filter((route) => !names.has(route.name)), ...more];
    },
    handle(request) {
      const { route, reply } = answer(request);
      requests.push({ ...request, route, status: reply.status });
      return reply;
    },
  };
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): GitHubReply {
  return { status, body, headers };
}

/** A GitHub error answer. */
export function failure(status: number, message = status >= 500 ? "Server Error" : "Not Found"): GitHubReply {
  return { status, body: { message, documentation_url: "https://docs.github.com/rest", status: String(status) } };
}

/**
 * One page of `items` as GitHub paginates: `per_page`/`page` from the query, a Link header naming the
 * next and last pages; `wrap` builds namespaced bodies such as `{ total_count, check_runs }`.
 */
export function paged<T>(request: GitHubRequest, items: readonly T[], wrap?: (page: T[], total: number) => unknown): GitHubReply {
  const perPage = Math.min(Number(request.query.get("per_page") ?? 30) || 30, 100);
  const page = Math.max(Number(request.query.get("page") ?? 1) || 1, 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const headers: Record<string, string> = {};
  if (page < last) {
    const link = (n: number) => {
      const query = new URLSearchParams(request.query);
      query.set("page", String(n));
      return `<${request.apiRoot}${encodePath(request.path)}?${query}>`;
    };
    headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
  }
  return { status: 200, body: wrap ? wrap(slice, items.length) : slice, headers };
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** Splits a request URL below `apiRoot` into the decoded path and query. */
export function requestTarget(url: URL, apiRootPath: string): { path: string; query: URLSearchParams } {
  const raw = url.pathname.startsWith(apiRootPath) ? url.pathname.slice(apiRootPath.length) : url.pathname;
  return { path: decodeURIComponent(raw) || "/", query: url.searchParams };
}
