import { routeLabelOf } from "../github/route-label.js";

export interface GitHubRequestSample {
  method: string;
  /** The route template (`/repos/{owner}/{repo}/pulls/{pull_number}`), never the expanded URL. */
  route: string;
  /** HTTP status, or "network" when GitHub never answered. */
  status: number | "network";
}

// The slice of an Octokit instance the plugin needs; src/github owns the real client, so callers
// adapt Octokit's wider hook type to this one (see src/main.ts).
export interface RequestHookHost {
  hook: {
    wrap(
      name: "request",
      wrapper: (request: (options: RequestOptionsLike) => Promise<{ status: number }>, options: RequestOptionsLike) => Promise<unknown>,
    ): void;
  };
}
interface RequestOptionsLike {
  method?: string;
  url?: string;
}

/**
 * Counts every GitHub API request of `octokit` into `record`. The route label is a template from a
 * fixed list (route-label.ts): bounded, and free of repository names.
 */
export function countGitHubRequests(octokit: RequestHookHost, record: (sample: GitHubRequestSample) => void): void {
  octokit.hook.wrap("request", async (request, options) => {
    const method = options.method ?? "GET";
    const route = routeLabelOf(options.url ?? "");
    try {
      const response = await request(options);
      record({ method, route, status: response.status });
      return response;
    } catch (error) {
      // Octokit reports a request that got no answer as status 500 without a response.
      const { status, response } = error as { status?: unknown; response?: unknown };
      record({ method, route, status: response && typeof status === "number" ? status : "network" });
      throw error;
    }
  });
}
