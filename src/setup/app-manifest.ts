// The GitHub App manifest the setup page posts to GitHub: app.yml (permissions, events, name), plus
// where GitHub sends webhooks and where it sends the browser back once the App is registered.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface ManifestUrls {
  /** Where the setup page is served, as the browser reached it, e.g. http://localhost:3000. */
  baseUrl: string;
  /** The App's webhook URL: the smee channel, or repol's own webhook route. */
  webhookUrl: string;
}

export function appManifest(cwd: string, { baseUrl, webhookUrl }: ManifestUrls): Record<string, unknown> {
  const appYml = (parse(readFileSync(join(cwd, "app.yml"), "utf8")) ?? {}) as Record<string, unknown>;
  return {
    hook_attributes: { url: webhookUrl },
    redirect_url: `${baseUrl}/probot/setup`,
    version: "v1",
    ...appYml,
  };
}
