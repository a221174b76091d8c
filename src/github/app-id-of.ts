import type { GitHub } from "./github-client.js";

/**
 * The id of the GitHub App this client acts for. The installation client Probot hands a handler
 * can still produce app authentication, which carries the id, without a request to GitHub.
 * Undefined when the client is not app-authenticated (e.g. a plain token in a CLI).
 */
export async function appIdOf(github: GitHub): Promise<number | undefined> {
  const auth = (await github.auth({ type: "app" })) as { type?: unknown; appId?: unknown };
  return auth.type === "app" && typeof auth.appId === "number" ? auth.appId : undefined;
}
