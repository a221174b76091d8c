// GitHub's REST API on 127.0.0.1 for the benches: every repository answers like acme/widgets of the
// test scenarios (passing deployment facts, or the pull request scenario), `.repol` files carry an
// ETag and answer 304 to If-None-Match as GitHub does, and every request is counted by route. The
// time each deployment callback arrives is kept by run id, which is how decision latency is measured.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { passingScenario, scenarioRoutes } from "../../test/helpers/deployment-scenario.js";
import { failure, githubRouter, json, requestTarget, type Route } from "../../test/helpers/github-router.js";
import { scenario as pullRequestScenario, scenarioRoutes as pullRequestRoutes } from "../../test/helpers/pull-request-scenario.js";

export const API_ROOT_PATH = "/api/v3";

export interface LoopbackGitHub {
  apiUrl: string;
  host: string;
  /** Requests answered, by route name ("config-file:304" for revalidations). */
  counts: Map<string, number>;
  /** performance.now() at which the callback for a run id arrived. */
  callbackAt: Map<number, number>;
  /** `.repol` files by path, the same for every repository. */
  files: Map<string, string>;
  totalRequests(): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export type Flavour = "deployment" | "pull_request";

export async function startLoopbackGitHub(flavour: Flavour, { latencyMs = 0 }: { latencyMs?: number } = {}): Promise<LoopbackGitHub> {
  const files = new Map<string, string>();
  const counts = new Map<string, number>();
  const callbackAt = new Map<number, number>();
  const routes: Route[] = flavour === "deployment" ? scenarioRoutes(passingScenario()) : pullRequestRoutes(pullRequestScenario());
  routes.push(
    {
      name: "installation-token",
      method: "POST",
      path: /^\/app\/installations\/(\d+)\/access_tokens$/,
      reply: (_request, [, id]) => json(201, { token: `ghs_bench${id}${"x".repeat(30)}`, expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" }),
    },
    {
      name: "config-file",
      method: "GET",
      path: /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/,
      reply: (request, [, path]) => {
        const text = files.get(path!);
        if (text === undefined || request.query.get("ref") !== "refs/heads/main") return failure(404);
        const sha = createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
        if (request.headers["if-none-match"] === `W/"${sha}"`) return { status: 304 };
        return json(200, { type: "file", encoding: "base64", path, sha, size: Buffer.byteLength(text), content: Buffer.from(text).toString("base64") }, {
          etag: `W/"${sha}"`,
          "cache-control": "private, max-age=60, s-maxage=60",
        });
      },
    },
  );
  const router = githubRouter(routes);
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const { path, query } = requestTarget(url, API_ROOT_PATH);
    // Every repository is served by the scenario's one.
    const scenarioPath = path.replace(/^\/repos\/[^/]+\/[^/]+\//, "/repos/acme/widgets/");
    const text = Buffer.concat(chunks).toString("utf8");
    const reply = router.handle({ method: req.method ?? "GET", path: scenarioPath, query, headers: req.headers, body: text ? JSON.parse(text) : undefined, apiRoot: apiUrl });
    const route = router.requests.at(-1)!.route;
    const key = reply.status === 304 ? `${route}:304` : route;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    router.requests.length = 0;
    const callback = /\/actions\/runs\/(\d+)\/deployment_protection_rule$/.exec(path);
    if (callback && req.method === "POST") callbackAt.set(Number(callback[1]), performance.now());
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiUrl = `http://${host}${API_ROOT_PATH}`;
  return {
    apiUrl,
    host,
    counts,
    callbackAt,
    files,
    totalRequests: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    resetCounts: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
