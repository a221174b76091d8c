// Enables repol as the custom deployment protection rule on a repository's environments through the
// REST API, for admins who prefer not to click through Settings → Environments.
//
//   npm run enable-protection-rule -- owner/repo [--environment production]... [--app-id 123456]
//
// Needs GITHUB_TOKEN (or GH_TOKEN) of a repository admin, and the App installed on the repository:
// GitHub only offers installed Apps as protection rules.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { githubApiUrlFrom } from "../src/settings.js";

export interface EnableOptions {
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  /** The GitHub App's id (APP_ID), which GitHub calls integration_id here. */
  appId: number;
  /** Environments to protect; all of the repository's environments when empty. */
  environments: string[];
}

export interface EnvironmentOutcome {
  environment: string;
  status: "enabled" | "already_enabled" | "failed";
  ruleId?: number;
  message: string;
}

interface Rule {
  id: number;
  app: { id: number; slug: string };
}

export async function enableProtectionRule(options: EnableOptions): Promise<EnvironmentOutcome[]> {
  const api = githubClient(options);
  let environments = options.environments;
  if (environments.length === 0) {
    try {
      environments = await allEnvironments(api, options);
    } catch (error) {
      throw new Error(`could not list the environments of ${options.owner}/${options.repo}: ${explain(error, "")}`);
    }
  }
  const outcomes: EnvironmentOutcome[] = [];
  for (const environment of environments) {
    outcomes.push(await enableOn(api, options, environment));
  }
  return outcomes;
}

async function enableOn(api: GitHubClient, { owner, repo, appId }: EnableOptions, environment: string): Promise<EnvironmentOutcome> {
  const base = `/repos/${enc(owner)}/${enc(repo)}/environments/${enc(environment)}/deployment_protection_rules`;
  try {
    const current = await api.get<{ custom_deployment_protection_rules: Rule[] }>(base);
    const existing = current.custom_deployment_protection_rules.find((rule) => rule.app.id === appId);
    if (existing) {
      return { environment, status: "already_enabled", ruleId: existing.id, message: `already protected by ${existing.app.slug}` };
    }
    const available = await api.get<{ available_custom_deployment_protection_rule_integrations: Rule["app"][] }>(`${base}/apps?per_page=100`);
    if (!available.available_custom_deployment_protection_rule_integrations.some((app) => app.id === appId)) {
      return {
        environment,
        status: "failed",
        message: `App ${appId} is not offered as a protection rule here: install it on ${owner}/${repo} first`,
      };
    }
    const created = await api.post<Rule>(base, { integration_id: appId });
    return { environment, status: "enabled", ruleId: created.id, message: `enabled ${created.app.slug}` };
  } catch (error) {
    return { environment, status: "failed", message: explain(error, environment) };
  }
}

async function allEnvironments(api: GitHubClient, { owner, repo }: EnableOptions): Promise<string[]> {
  const names: string[] = [];
  for (let page = 1; ; page++) {
    const body = await api.get<{ total_count: number; environments: { name: string }[] }>(
      `/repos/${enc(owner)}/${enc(repo)}/environments?per_page=100&page=${page}`,
    );
    names.push(...body.environments.map((environment) => environment.name));
    if (body.environments.length < 100 || names.length >= body.total_count) return names;
  }
}

class GitHubError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type GitHubClient = ReturnType<typeof githubClient>;

function githubClient({ apiUrl, token }: Pick<EnableOptions, "apiUrl" | "token">) {
  async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${apiUrl.replace(/\/$/, "")}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "repol-enable-protection-rule",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the raw text
      }
      throw new GitHubError(response.status, path, message);
    }
    return JSON.parse(text) as T;
  }
  return {
    get: <T>(path: string) => send<T>("GET", path),
    post: <T>(path: string, body: unknown) => send<T>("POST", path, body),
  };
}

function explain(error: unknown, environment: string): string {
  if (!(error instanceof GitHubError)) return `request failed: ${error instanceof Error ? error.message : String(error)}`;
  if (error.status === 404) {
    return environment
      ? `no environment "${environment}" (or the token cannot see the repository): ${error.message}`
      : `no such repository, or the token cannot see it: ${error.message}`;
  }
  if (error.status === 401) return `the token was rejected: ${error.message}`;
  if (error.status === 403) return `the token is not allowed to manage environments (needs repository admin): ${error.message}`;
  return `GitHub answered ${error.status}: ${error.message}`;
}

const enc = encodeURIComponent;

const USAGE = `usage: npm run enable-protection-rule -- <owner/repo> [--environment <name>]... [--app-id <id>]

Enables repol as the custom deployment protection rule on the given environments (all environments of
the repository when none is given). Reads GITHUB_TOKEN (or GH_TOKEN): a token of a repository admin.
The App id defaults to APP_ID from the environment or .env. GHE_HOST selects GitHub Enterprise Server.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: parseArgs types its result from the options given inside the try
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        environment: { type: "string", short: "e", multiple: true },
        "app-id": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [slug, ...extra] = positionals;
  const [owner, repo, ...rest] = (slug ?? "").split("/");
  const appId = Number(values["app-id"] ?? env.APP_ID);
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  const problem =
    !owner || !repo || rest.length > 0 || extra.length > 0
      ? "give exactly one repository as owner/repo"
      : !Number.isInteger(appId) || appId <= 0
        ? "no App id: pass --app-id or set APP_ID (the setup page writes it to .env)"
        : !token
          ? "no token: set GITHUB_TOKEN to a token of a repository admin (e.g. GITHUB_TOKEN=$(gh auth token))"
          : null;
  if (problem) {
    console.error(`${problem}\n\n${USAGE}`);
    return 2;
  }
  const outcomes = await enableProtectionRule({
    apiUrl: githubApiUrlFrom(env),
    token: token!,
    owner: owner!,
    repo: repo!,
    appId,
    environments: values.environment ?? [],
  });
  if (outcomes.length === 0) {
    console.error(`${owner}/${repo} has no environments; create one (Settings → Environments) or name it with --environment`);
    return 1;
  }
  for (const outcome of outcomes) {
    const line = `${outcome.environment}: ${outcome.status.replace("_", " ")}${outcome.ruleId ? ` (rule ${outcome.ruleId})` : ""} — ${outcome.message}`;
    if (outcome.status === "failed") console.error(line);
    else console.log(line);
  }
  return outcomes.some((outcome) => outcome.status === "failed") ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Like the server, read APP_ID/GHE_HOST from .env when it exists; the real environment wins.
  if (existsSync(".env")) process.loadEnvFile(".env");
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
