import type { GitHub } from "./github-client.js";

/**
 * The id of the GitHub App this client acts for. The installation client Probot hands a handler
 * can still produce app authentication, which carries the id, without a request to GitHub (but it
 * signs a JWT to do so). Undefined when the client is not app-authenticated (e.g. a plain token in a CLI).
 */
export async function appIdOf(github: GitHub): Promise<number | undefined> {
  const auth = (await github.auth({ type: "app" })) as { type?: unknown; appId?: unknown };
  return auth.type === "app" && typeof auth.appId === "number" ? auth.appId : undefined;
}

export type AppIdSource = (github: GitHub) => Promise<number | undefined>;

/** appIdOf, asked until it is known and then never again: an App's id does not change while it runs. */
export function rememberedAppId(read: AppIdSource = appIdOf): AppIdSource {
  let known: number | undefined;
  return async (github) => (known ??= await read(github));
}
