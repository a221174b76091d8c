// The route label of a GitHub request in repol's metrics. /metrics is unauthenticated, so a label must
// never carry an owner, a repository, a SHA or an id (private names; one series per resource, without
// bound): it is one of the route templates repol calls, "/graphql", or "other".

/** Every REST route repol calls, as GitHub's REST description writes it (test/github/route-label.test.ts keeps this complete). */
export const GITHUB_ROUTES: readonly string[] = [
  "/app/hook/deliveries",
  "/app/hook/deliveries/{delivery_id}/attempts",
  "/app/installations/{installation_id}/access_tokens",
  "/repos/{owner}/{repo}",
  "/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule",
  "/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments",
  "/repos/{owner}/{repo}/check-runs",
  "/repos/{owner}/{repo}/check-runs/{check_run_id}",
  "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
  "/repos/{owner}/{repo}/commits/{ref}",
  "/repos/{owner}/{repo}/commits/{ref}/check-runs",
  "/repos/{owner}/{repo}/commits/{ref}/statuses",
  "/repos/{owner}/{repo}/contents/{path}",
  "/repos/{owner}/{repo}/environments",
  "/repos/{owner}/{repo}/git/blobs/{file_sha}",
  "/repos/{owner}/{repo}/git/ref/{ref}",
  "/repos/{owner}/{repo}/pulls/{pull_number}",
  "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
  "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
];

export const OTHER_ROUTE = "other";
export const GRAPHQL_ROUTE = "/graphql";

const known = new Set(GITHUB_ROUTES);
const templates = GITHUB_ROUTES.map((route) => route.split("/"));

/**
 * The label for a request's `url`: Octokit passes the template when the caller named one
 * (`/repos/{owner}/{repo}/pulls/{pull_number}`), and an expanded, absolute URL when it follows a
 * pagination link (`https://ghe.example/api/v3/repositories/123/commits/3f78…/check-runs?page=2`).
 */
export function routeLabelOf(url: string): string {
  const path = pathOf(url);
  if (path === GRAPHQL_ROUTE || path === "/api/graphql") return GRAPHQL_ROUTE;
  if (known.has(path)) return path;
  let segments = path.split("/");
  // GitHub's Link headers name the repository by id: /repositories/123/... is /repos/{owner}/{repo}/...
  if (segments[1] === "repositories" && /^\d+$/.test(segments[2] ?? "")) segments = ["", "repos", "{owner}", "{repo}", ...segments.slice(3)];
  return bestMatch(segments) ?? OTHER_ROUTE;
}

function pathOf(url: string): string {
  // Absolute for pagination links; GitHub Enterprise Server serves the API under /api/v3.
  const path = (url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, "").split(/[?#]/)[0] ?? "").replace(/^\/api\/v3(?=\/)/, "");
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** The template whose literal segments all match, preferring the most literal one (`check-runs/{id}` over `{ref}`). */
function bestMatch(segments: string[]): string | undefined {
  let best: { route: string; literals: number } | undefined;
  for (const template of templates) {
    if (template.length !== segments.length) continue;
    let literals = 0;
    const fits = template.every((part, i) => {
      if (part.startsWith("{")) return segments[i] !== "";
      literals++;
      return part === segments[i];
    });
    if (fits && (!best || literals > best.literals)) best = { route: template.join("/"), literals };
  }
  return best?.route;
}
