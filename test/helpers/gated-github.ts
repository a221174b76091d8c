// The fake GitHub of fake-github.ts, plus gates: a test can hold a request open (GitHub slow or
// hanging) and release it later, to stop or kill repol in the middle of a call.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { API_ROOT_PATH, readBody, type FakeGitHub } from "./fake-github.js";
import { githubRouter, requestTarget, type GitHubRequest, type Route } from "./github-router.js";

export interface Hold {
  /** Resolves when a matching request has arrived and is being held. */
  arrived: Promise<GitHubRequest>;
  /** Lets the held request (and any later one) be answered. */
  release(): void;
}

export interface GatedGitHub extends FakeGitHub {
  /** Holds every request matching method and path until released. */
  hold(method: string, path: RegExp): Hold;
  /** Requests that arrived, including held ones that were never answered. */
  readonly arrivals: GitHubRequest[];
}

export async function gatedGitHub(routes: Route[] = []): Promise<GatedGitHub> {
  const router = githubRouter(routes);
  const holds: { method: string; path: RegExp; arrived: (request: GitHubRequest) => void; released: Promise<void> }[] = [];
  const arrivals: GitHubRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const { path, query } = requestTarget(url, API_ROOT_PATH);
    const request: GitHubRequest = { method: req.method ?? "GET", path, query, headers: req.headers, body: await readBody(req), apiRoot: apiUrl };
    arrivals.push(request);
    for (const hold of holds.filter((h) => h.method === request.method && h.path.test(request.path))) {
      hold.arrived(request);
      await hold.released;
    }
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
    arrivals,
    hold(method: string, path: RegExp): Hold {
      let arrived!: (request: GitHubRequest) => void;
      let release!: () => void;
      const hold = {
        method,
        path,
        arrived: (request: GitHubRequest) => arrived(request),
        released: new Promise<void>((resolve) => (release = resolve)),
      };
      const arrival = new Promise<GitHubRequest>((resolve) => (arrived = resolve));
      holds.push(hold);
      return {
        arrived: arrival,
        release: () => {
          const at = holds.indexOf(hold);
          if (at >= 0) holds.splice(at, 1);
          release();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        holds.length = 0;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  });
}
