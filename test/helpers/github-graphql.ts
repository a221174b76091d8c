// GitHub's GraphQL API for the fake GitHub: queries are executed against GitHub's published schema
// (an invalid query is answered with errors, as GitHub would), and every field is resolved from the
// same REST routes the fake already serves, so one description of a repository answers both APIs and
// a REST route made to fail makes the GraphQL answer carry `errors`.
import { execute, parse, validate, type DocumentNode, type ExecutionResult, GraphQLError } from "graphql";
import { connection, pullRequestNode } from "./github-graphql-pull.js";
import { treeEntry } from "./github-graphql-tree.js";
import { githubSchema } from "./github-schema.js";
import { failure, json, type GitHubReply, type GitHubRequest, type Route } from "./github-router.js";

/** Answers a REST request from the router's routes without recording it (it never crossed HTTP); `route` names the route that answered. */
export type RestAnswer = (request: GitHubRequest) => GitHubReply & { route?: string };

type Obj = Record<string, unknown>;
type Args = Record<string, any>;

/** POST /graphql (and /api/graphql, where GitHub Enterprise Server serves it), plus the raw blob reads GraphQL cannot give. */
export function graphqlRoutes(rest: RestAnswer): Route[] {
  const blobs = new Map<string, Buffer>();
  return [
    {
      name: "graphql",
      method: "POST",
      path: /^(?:\/api)?\/graphql$/,
      reply(request) {
        const body = (request.body ?? {}) as { query?: string; variables?: Obj };
        const answer = restFor(request, rest);
        const root = { repository: (args: Args) => rootRepository(request, rest, blobs, args), node: ({ id }: Args) => nodeById(answer, blobs, String(id)) };
        const document = checkedDocument(body.query ?? "");
        const result: ExecutionResult =
          "kind" in document
            ? (execute({ schema: githubSchema(), document, variableValues: body.variables, rootValue: root, fieldResolver: resolveField }) as ExecutionResult)
            : { errors: document };
        const errors = result.errors?.map((error) => ({ message: error.message, path: error.path, type: typeOf(error.originalError) }));
        return json(200, { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) });
      },
    },
    {
      name: "git-blob",
      method: "GET",
      path: /^\/repos\/[^/]+\/[^/]+\/git\/blobs\/([0-9a-f]{40})$/,
      reply: (_request, [, oid]) => {
        const bytes = blobs.get(oid!);
        return bytes ? json(200, { sha: oid, size: bytes.length, encoding: "base64", content: bytes.toString("base64") }) : failure(404);
      },
    },
  ];
}

// Parsing and validating against GitHub's whole schema costs milliseconds; repol sends a handful of
// query texts, so each is checked once (an invalid one keeps its errors) and only executed after.
const checkedDocuments = new Map<string, DocumentNode | readonly GraphQLError[]>();

function checkedDocument(source: string): DocumentNode | readonly GraphQLError[] {
  let checked = checkedDocuments.get(source);
  if (checked === undefined) {
    try {
      const document = parse(source);
      const errors = validate(githubSchema(), document);
      checked = errors.length > 0 ? errors : document;
    } catch (error) {
      checked = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
    }
    if (checkedDocuments.size < 200) checkedDocuments.set(source, checked);
  }
  return checked;
}

/** Operation names of the GraphQL requests among `requests` (RepolFacts, RepolReviewsPage, ...). */
export function graphqlOperations(requests: readonly GitHubRequest[]): string[] {
  return requests.flatMap((request) => {
    const match = /^\s*query\s+(\w+)/.exec(String((request.body as { query?: unknown } | undefined)?.query ?? ""));
    return match ? [match[1]!] : [];
  });
}

type Rest = (path: string, query?: Record<string, string>) => unknown;

/** GitHub's error type (NOT_FOUND, FORBIDDEN…) when a resolver gave one; FAKE for any other failure. */
class GraphqlTypedError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function typeOf(error: unknown): string {
  return error instanceof GraphqlTypedError ? error.type : "FAKE";
}

/**
 * A repository whose REST route answers 404 is missing (or hidden from the installation), which GitHub
 * answers NOT_FOUND beside the rest of the data; one no route describes is taken to exist, so scenarios
 * need not describe every repository they use.
 */
function rootRepository(outer: GitHubRequest, rest: RestAnswer, blobs: Map<string, Buffer>, args: Args): Obj {
  const reply = rest({ ...outer, method: "GET", path: `/repos/${args.owner}/${args.name}`, query: new URLSearchParams(), body: undefined });
  if (reply.status === 404 && reply.route !== "unmatched") {
    throw new GraphqlTypedError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
  }
  return repository(restFor(outer, rest), blobs, args);
}

function restFor(outer: GitHubRequest, rest: RestAnswer): Rest {
  return (path, query = {}) => {
    const reply = rest({ ...outer, method: "GET", path, query: new URLSearchParams(query), body: undefined });
    if (reply.status === 404) return null;
    if (reply.status >= 400) throw new Error(`GitHub answered ${reply.status} resolving ${path}`);
    return reply.body;
  };
}

/** Every item of a paged REST list. */
function all(rest: Rest, path: string, pick: (body: any) => unknown[] = (body) => body): unknown[] {
  const items: unknown[] = [];
  for (let page = 1; ; page++) {
    const body = rest(path, { per_page: "100", page: String(page) });
    const batch = body === null ? [] : pick(body);
    items.push(...batch);
    if (batch.length < 100) return items;
  }
}

// A function is a field with arguments; anything else is the field's value.
function resolveField(source: any, args: Args, _context: unknown, info: { fieldName: string }): unknown {
  const value = source?.[info.fieldName];
  return typeof value === "function" ? value(args) : value;
}

/** Node ids name their repository, so a page query finds its node again in a later request. */
function nodeById(rest: Rest, blobs: Map<string, Buffer>, id: string): Obj | null {
  const [kind, owner, name, key, _suite] = id.split(":");
  const repo = repository(rest, blobs, { owner, name });
  if (kind === "R") return repo;
  if (kind === "PR") return (repo.pullRequest as (args: Args) => Obj)({ number: Number(key) });
  const commit = (repo.object as (args: Args) => Obj)({ oid: key });
  if (kind === "C") return commit;
  const suites = (commit.checkSuites as (args: Args) => { nodes: Obj[] })({ first: 1000 }).nodes;
  return suites.find((candidate) => candidate.id === id) ?? null;
}

/** One connection page read from only the REST pages it covers (a list that says its total_count). */
function pageOfTotal(rest: Rest, path: string, { first = 100, after }: Args, pick: (body: any) => unknown[]) {
  const start = after ? Number(after) + 1 : 0;
  const firstPage = Math.floor(start / 100);
  const items: unknown[] = [];
  let total = 0;
  for (let page = firstPage; page <= Math.floor((start + first - 1) / 100); page++) {
    const body = rest(path, { per_page: "100", page: String(page + 1) }) as { total_count: number } | null;
    total = body?.total_count ?? 0;
    items.push(...(body ? pick(body) : []));
  }
  const nodes = items.slice(start - firstPage * 100, start - firstPage * 100 + first);
  const end = start + nodes.length - 1;
  return { totalCount: total, nodes, pageInfo: { hasNextPage: end < total - 1, endCursor: nodes.length ? String(end) : null } };
}

function repository(rest: Rest, blobs: Map<string, Buffer>, { owner, name }: Args): Obj {
  const base = `/repos/${owner}/${name}`;
  const pull = (data: any) => pullRequestNode(data, { owner, name }, (path) => all(rest, `${base}${path}`));
  const about = () => (rest(base) ?? {}) as { default_branch?: string; private?: boolean; topics?: string[]; owner?: { type?: string } };
  const repo: Obj = {
    __typename: "Repository",
    id: `R:${owner}:${name}`,
    nameWithOwner: `${owner}/${name}`,
    name,
    isPrivate: () => about().private === true,
    owner: () => ({ __typename: about().owner?.type === "User" ? "User" : "Organization", login: owner }),
    repositoryTopics: (args: Args) =>
      connection(
        (about().topics ?? []).map((topic) => ({ topic: { name: topic } })),
        args,
      ),
    defaultBranchRef: () => {
      const branch = about().default_branch ?? "main";
      const read = (path: string) => rest(`${base}/contents/${path}`, { ref: `refs/heads/${branch}` });
      return { name: branch, target: { __typename: "Commit", file: ({ path }: Args) => treeEntry(read, String(path), blobs) } };
    },
    environments: (args: Args) => pageOfTotal(rest, `${base}/environments`, args, (body) => body.environments.map((env: any) => ({ name: env.name }))),
    ref: ({ qualifiedName }: Args) => (rest(`${base}/git/ref/${String(qualifiedName).replace(/^refs\//, "")}`) ? { name: qualifiedName } : null),
    pullRequest: ({ number }: Args) => {
      const data = rest(`${base}/pulls/${number}`);
      if (!data) throw new Error(`Could not resolve to a PullRequest with the number of ${number}.`);
      return pull(data);
    },
    object: ({ oid }: Args) => commit(rest, { base, key: `${owner}:${name}:${oid}` }, oid, pull, blobs),
  };
  return repo;
}

function commit(rest: Rest, { base, key }: { base: string; key: string }, oid: string, pull: (data: any) => Obj, blobs: Map<string, Buffer>): Obj {
  const data = () => (rest(`${base}/commits/${oid}`) as any) ?? { commit: { message: "", author: null } };
  const runs = () => all(rest, `${base}/commits/${oid}/check-runs`, (body) => body.check_runs) as any[];
  const suitesOf = (list: any[]) => {
    const bySuite = new Map<number, any[]>();
    for (const run of list) bySuite.set(run.check_suite?.id ?? 0, [...(bySuite.get(run.check_suite?.id ?? 0) ?? []), run]);
    return [...bySuite].map(([id, suiteRuns]) => ({
      __typename: "CheckSuite",
      id: `CS:${key}:${id}`,
      app: { databaseId: suiteRuns[0].app?.id ?? null },
      checkRuns: (args: Args) =>
        connection(
          suiteRuns.filter((run) => !args.filterBy?.checkName || run.name === args.filterBy.checkName).map((run) => checkRun(run, base)),
          args,
        ),
    }));
  };
  return {
    __typename: "Commit",
    id: `C:${key}`,
    oid,
    message: () => data().commit.message,
    // The commit's own files, as the contents API gives them at that SHA.
    file: ({ path }: Args) => treeEntry((file: string) => rest(`${base}/contents/${file}`, { ref: oid }), String(path), blobs),
    author: () => (data().commit.author ? { email: data().commit.author.email } : null),
    associatedPullRequests: (args: Args) => connection(all(rest, `${base}/commits/${oid}/pulls`).map(pull), args),
    checkSuites: (args: Args) => {
      const appId = args.filterBy?.appId;
      const list = appId === undefined ? runs() : runs().filter((run) => run.app?.id === appId);
      return connection(suitesOf(list), args);
    },
    status: () => {
      const latest = new Map<string, any>();
      for (const status of all(rest, `${base}/commits/${oid}/statuses`) as any[]) if (!latest.has(status.context)) latest.set(status.context, status);
      return { contexts: [...latest.values()].map((status) => ({ context: status.context, state: String(status.state).toUpperCase() })) };
    },
  };
}

function checkRun(data: any, base: string): Obj {
  // databaseId is a 32-bit Int in GitHub's schema; real run ids no longer fit, so it is left out here too.
  return {
    resourcePath: `${base.replace(/^\/repos/, "")}/runs/${data.id}`,
    name: data.name,
    status: String(data.status).toUpperCase(),
    conclusion: data.conclusion ? String(data.conclusion).toUpperCase() : null,
    detailsUrl: data.details_url ?? null,
  };
}
