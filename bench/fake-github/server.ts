// The fake GitHub as its own process (started by ./client.ts over an IPC channel), so its work is not
// charged to the load generator nor to repol. It serves the REST API under /api/v3 and GraphQL at
// /api/graphql as GitHub Enterprise Server does, counts every request it answers by route template
// (304s and extra pages included), and reports each verdict reaching it with the time it arrived.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { failure, type GitHubReply, type GitHubRequest } from "../../test/helpers/github-router.js";
import { graphqlEndpoint, operationOf } from "./graphql.js";
import type { FromFakeGitHub, ToFakeGitHub } from "./protocol.js";
import { benchRepository, repositoryIndex, type FakeRepository } from "./repositories.js";
import { REST_ROUTES, type Answer } from "./rest-routes.js";

const API_ROOT = "/api/v3";
const GRAPHQL_PATH = "/api/graphql";
const installations = Number(process.env.BENCH_FAKE_INSTALLATIONS);
const appId = Number(process.env.BENCH_FAKE_APP_ID);

const repositories = new Map<number, FakeRepository>();
function repository(owner: string, name: string): FakeRepository | undefined {
  const index = repositoryIndex(owner, name, installations);
  if (index === undefined) return undefined;
  if (!repositories.has(index)) repositories.set(index, benchRepository(index));
  return repositories.get(index);
}

const compiled = REST_ROUTES.map((route) => {
  const names: string[] = [];
  const pattern = route.template.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
    names.push(name);
    return greedy ? "(.+)" : "([^/]+)";
  });
  return { route, label: `${route.method} ${route.template.replace("+}", "}")}`, names, pattern: new RegExp(`^${pattern}$`) };
});

const send = (message: FromFakeGitHub) => process.send!(message);
let counts = new Map<string, number>();

const clock = () => performance.timeOrigin + performance.now();
/** When each repository ("owner/name") last had its facts asked for with GraphQL. */
const factsAskedAt = new Map<string, number>();
const answeredFor = (repo: FakeRepository | undefined) => (verdict: Omit<Answer, "at">) => {
  const asked = repo && factsAskedAt.get(`${repo.owner}/${repo.name}`);
  send({ type: "answer", answer: { ...verdict, at: clock(), ...(asked ? { afterFactsMs: clock() - asked } : {}) } });
};
// GraphQL reads its facts through the REST routes; those reads are part of the one GraphQL call.
const answerGraphql = graphqlEndpoint((request) => answerRest(request.method, request.path, request).reply);
function graphql(request: GitHubRequest): GitHubReply {
  const { owner, name } = ((request.body as { variables?: Record<string, unknown> } | undefined)?.variables ?? {}) as { owner?: string; name?: string };
  if (owner && name) factsAskedAt.set(`${owner}/${name}`, clock());
  return answerGraphql(request);
}

/** A REST request; `below` is its path below the API root as sent (params are decoded from it). */
function answerRest(method: string, below: string, request: GitHubRequest): { label: string; reply: GitHubReply } {
  for (const { route, label, names, pattern } of compiled) {
    const match = route.method === method ? pattern.exec(below) : null;
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    const repo = params.owner !== undefined ? repository(params.owner, params.repo!) : undefined;
    if (params.owner !== undefined && !repo) return { label, reply: failure(404) };
    return { label, reply: route.reply({ request, params, repo: repo!, appId, answered: answeredFor(repo) }) };
  }
  return { label: `${method} (unmatched) ${below}`, reply: failure(404) };
}

/** `request.path` is below the API root, decoded; `rawPath` is the URL's path as sent. */
function answer(rawPath: string, request: GitHubRequest): { label: string; reply: GitHubReply } {
  const { method } = request;
  if (rawPath === GRAPHQL_PATH && method === "POST") return { label: `POST /graphql (${operationOf(request.body)})`, reply: graphql(request) };
  if (!rawPath.startsWith(`${API_ROOT}/`)) return { label: `${method} (unmatched) ${rawPath}`, reply: failure(404) };
  return answerRest(method, rawPath.slice(API_ROOT.length), request);
}

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const text = Buffer.concat(chunks).toString("utf8");
  const method = req.method ?? "GET";
  let reply: GitHubReply;
  let label: string;
  try {
    const path = decodeURIComponent(url.pathname.startsWith(API_ROOT) ? url.pathname.slice(API_ROOT.length) : url.pathname);
    const request: GitHubRequest = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      apiRoot: `http://${req.headers.host}${API_ROOT}`,
    };
    ({ label, reply } = answer(url.pathname, request));
  } catch (error) {
    label = `${method} (failed) ${url.pathname}`;
    reply = { status: 500, body: { message: `fake GitHub: ${(error as Error).message}` } };
  }
  const counted = reply.status === 304 ? `${label} (304)` : label;
  counts.set(counted, (counts.get(counted) ?? 0) + 1);
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
  res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
});
server.keepAliveTimeout = 60_000;

process.on("message", (message: ToFakeGitHub) => {
  if (message.type === "take-counts") {
    send({ type: "counts", id: message.id, counts: Object.fromEntries(counts) });
    counts = new Map();
  }
});
// The bench ending (or dying) closes the channel: nothing is left running.
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => send({ type: "listening", port: (server.address() as AddressInfo).port }));
