// GitHub's REST API faked by a real HTTP server on 127.0.0.1, for end-to-end tests. The API lives
// under /api/v3 as on GitHub Enterprise Server, which is how Probot is pointed at it (GHE_HOST).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { githubRouter, requestTarget, type GitHubRequest, type GitHubRouter, type Route } from "./github-router.js";

export const API_ROOT_PATH = "/api/v3";

export interface FakeGitHub extends GitHubRouter {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port>, what GHE_HOST would be set to. */
  host: string;
  /** http://127.0.0.1:<port>/api/v3 */
  apiUrl: string;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /**
   * Runs before each reply; may wait (a slow or hanging GitHub). No reply is sent (and no call recorded)
   * if the client has gone; `gone` resolves when it has.
   */
  beforeReply?(request: GitHubRequest, gone: Promise<void>): Promise<void>;
}

export async function fakeGitHub(routes: Route[] = [], { beforeReply }: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const router = githubRouter(routes);
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const { path, query } = requestTarget(url, API_ROOT_PATH);
    const gone = new Promise<void>((resolve) => res.once("close", () => resolve()));
    const request: GitHubRequest = { method: req.method ?? "GET", path, query, headers: req.headers, body: await readBody(req), apiRoot: apiUrl };
    await beforeReply?.(request, gone);
    if (res.destroyed) return;
    const reply = router.handle(request);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiUrl = `http://${host}${API_ROOT_PATH}`;
  return Object.assign(router, {
    url: `http://${host}`,
    host,
    apiUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
