// repol as GitHub sees it for the security suites: the real express server (createServer) with a
// Probot configured from environment variables, talking to a GitHub faked on 127.0.0.1 that, like
// GitHub, refuses repository requests without an installation token and serves `.repol` files per
// branch (raw bytes allowed) and names the default branch. Webhook outcomes are awaited with a bounded poll, so the
// suites hold whether deliveries are processed before the answer (200) or after it (202).
import { createHash } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { AuditRecord } from "../../src/audit/record.js";
import { failure, githubRouter, json, requestTarget, type GitHubRouter, type Route } from "../helpers/github-router.js";
import { deploymentPayload as recordedDeploymentPayload, RUN_ID, type Payload } from "../helpers/deployment-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";

export const API_ROOT_PATH = "/api/v3";
/** What GitHub answers a delivery it has accepted: 200 when handled inline, 202 when queued. */
export const ACCEPTED = [200, 202];
export const AUDIT_TOKEN = "security-suite-audit-token-4f1c9b";

export interface FakeGitHubServer extends GitHubRouter {
  apiUrl: string;
  host: string;
  /** `.repol` files by "<branch>:<path>". */
  files: Map<string, string | Uint8Array>;
  /** The branch GitHub names as the repository's default ("main" unless a test changes it). */
  defaultBranch: string;
  /** Commits a `.repol` file (null deletes it); the next event sees it (repol keeps no copy). */
  commit(branch: string, path: string, content: string | Uint8Array | null): void;
  close(): Promise<void>;
}

/** GitHub on 127.0.0.1: the given routes, plus `.repol` files per branch, behind GitHub's authentication rules. */
export async function fakeGitHubServer(routes: Route[]): Promise<FakeGitHubServer> {
  const files = new Map<string, string | Uint8Array>();
  const repositoryRoute: Route = {
    name: "repository",
    method: "GET",
    path: /^\/repos\/[^/]+\/[^/]+$/,
    reply: () => json(200, { default_branch: fake.defaultBranch }),
  };
  const router = githubRouter([...routes, configFilesRoute(files), repositoryRoute]);
  const server: Server = createHttpServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const { path, query } = requestTarget(url, API_ROOT_PATH);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const request = { method: req.method ?? "GET", path, query, headers: req.headers, body: parseJson(text), apiRoot: apiUrl };
    // Repository data needs an installation token; the App's JWT only reaches /app endpoints.
    const reply =
      (path.startsWith("/repos/") || /^(?:\/api)?\/graphql$/.test(path)) && !/^token \S+$/.test(String(req.headers.authorization ?? ""))
        ? (router.requests.push({ ...request, route: "unauthenticated", status: 401 }), failure(401, "A JSON web token could not be decoded"))
        : router.handle(request);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiUrl = `http://${host}${API_ROOT_PATH}`;
  const fake: FakeGitHubServer = Object.assign(router, {
    apiUrl,
    host,
    files,
    defaultBranch: "main",
    commit(branch: string, path: string, content: string | Uint8Array | null) {
      if (content === null) files.delete(`${branch}:${path}`);
      else files.set(`${branch}:${path}`, content);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  });
  return fake;
}

function configFilesRoute(files: Map<string, string | Uint8Array>): Route {
  return {
    name: "config-file",
    method: "GET",
    // Not the owner's .github repository: the files a test commits are the repository's own.
    path: /^\/repos\/[^/]+\/(?!\.github\/)[^/]+\/contents\/(.+)$/,
    reply(request, [, path]) {
      const branch = (request.query.get("ref") ?? "").replace(/^refs\/heads\//, "");
      const content = request.query.get("ref")?.startsWith("refs/heads/") ? files.get(`${branch}:${path}`) : undefined;
      if (content === undefined) return failure(404);
      const bytes = typeof content === "string" ? Buffer.from(content) : Buffer.from(content);
      const sha = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
      // GitHub inlines the content of files up to 1 MB only.
      const inline = bytes.length <= 1024 * 1024;
      const file = {
        type: "file",
        encoding: inline ? "base64" : "none",
        size: bytes.length,
        name: path!.split("/").at(-1),
        path,
        sha,
        content: inline ? bytes.toString("base64") : "",
      };
      return json(200, file);
    },
  };
}

export interface RepolUnderTest extends RepolOverHttp {
  github: FakeGitHubServer;
  /** The audit row of a delivery, once it is there (at most `timeoutMs`). */
  rowOf(id: string, timeoutMs?: number): Promise<AuditRecord>;
  /** The bodies of the deployment callbacks GitHub received, once there are at least `count`. */
  callbacks(count?: number): Promise<{ state: string; comment: string; environment_name: string }[]>;
  /** True when /health answers and a signed ping is accepted. */
  serving(): Promise<boolean>;
  /** A deployment_protection_rule payload whose callback URL points at the fake GitHub. */
  deploymentPayload(change?: (payload: Payload) => void): Payload;
}

export interface RepolOptions {
  routes: Route[];
  env?: Record<string, string>;
  log?: Logger;
}

export async function startRepol({ routes, env = {}, log }: RepolOptions): Promise<RepolUnderTest> {
  const github = await fakeGitHubServer(routes);
  const repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN, ...env }, { log });
  return {
    ...repol,
    github,
    async rowOf(id, timeoutMs = 10_000) {
      const row = await waitFor(() => repol.gate.store.findByDelivery(id), timeoutMs);
      if (!row) throw new Error(`no audit row for delivery ${id} within ${timeoutMs} ms`);
      return row;
    },
    async callbacks(count = 1) {
      await eventually(`${count} deployment callback(s)`, () => github.calls("callback").length >= count);
      return github.calls("callback").map((request) => request.body as { state: string; comment: string; environment_name: string });
    },
    async serving() {
      const health = await fetch(`${repol.url}/health`);
      const ping = await repol.deliver("ping", { zen: "Keep it logically awesome.", hook_id: 1, hook: { type: "App" } });
      return health.status === 200 && ACCEPTED.includes(ping.status);
    },
    deploymentPayload: (change = () => {}) => deploymentPayloadFor(github.apiUrl, change),
    async close() {
      await repol.close();
      await github.close();
    },
  };
}

function deploymentPayloadFor(apiUrl: string, change: (payload: Payload) => void): Payload {
  return recordedDeploymentPayload((payload) => {
    payload.deployment_callback_url = `${apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    change(payload);
  });
}

/** Polls until `probe` is true; throws with `what` after `timeoutMs`. */
export async function eventually(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  if ((await waitFor(async () => ((await probe()) ? true : undefined), timeoutMs)) === undefined) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** Polls `probe` until it returns something other than undefined, or `timeoutMs` passes. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until nothing has changed for `quietMs`: for asserting that something did NOT happen. */
export async function settle(github: GitHubRouter, quietMs = 300): Promise<void> {
  let seen = -1;
  while (seen !== github.requests.length) {
    seen = github.requests.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
