// Serves a GitHubRouter through nock at https://api.github.com, and records any attempt to reach
// another host instead of letting it out.
import nock from "nock";
import { githubRouter, requestTarget, type GitHubRouter, type Route } from "./github-router.js";

export const GITHUB_API = "https://api.github.com";

export function nockGitHub(routes: Route[] = []): GitHubRouter {
  nock.disableNetConnect();
  const router = githubRouter(routes);
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    nock(GITHUB_API)
      .persist()
      .intercept(() => true, method)
      .reply(function (uri, body) {
        const url = new URL(uri, GITHUB_API);
        const { path, query } = requestTarget(url, "");
        const reply = router.handle({ method, path, query, headers: this.req.headers, body: parseBody(body), apiRoot: GITHUB_API });
        return [
          reply.status,
          reply.body === undefined ? "" : JSON.stringify(reply.body),
          { "content-type": "application/json; charset=utf-8", ...reply.headers },
        ];
      });
  }
  return router;
}

export function resetNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string" || body === "") return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
