// The route label is all /metrics says about a GitHub request, and /metrics is unauthenticated: no
// owner, repository, SHA or id may reach it, whatever URL Octokit hands over, and the set of labels
// stays fixed. Checked against GitHub's own REST description (@octokit/openapi) and repol's sources.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { GITHUB_ROUTES, GRAPHQL_ROUTE, OTHER_ROUTE, routeLabelOf } from "../../src/github/route-label.js";

const require = createRequire(import.meta.url);
const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const COMMIT = "/repos/{owner}/{repo}/commits/{ref}";

let restPathsRead: string[] | undefined;

/** Every path template of GitHub's REST description, on github.com and on GitHub Enterprise Server. */
function restPaths(): string[] {
  if (restPathsRead) return restPathsRead;
  const openapi = require.resolve("@octokit/openapi/package.json");
  const paths = ["api.github.com.json", "ghes-3.19.json"].flatMap((file) =>
    Object.keys((JSON.parse(readFileSync(join(openapi, "..", "generated", file), "utf8")) as { paths: object }).paths),
  );
  restPathsRead = [...new Set(paths)];
  return restPathsRead;
}

/** A template with every parameter filled with a value that must never show up in a label. */
function expand(template: string): { path: string; values: string[] } {
  const values: string[] = [];
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = /sha|ref/.test(name) ? SHA : /number|_id$/.test(name) ? String(90210 + values.length) : `private-${name}-${values.length}`;
    values.push(value);
    return value;
  });
  return { path, values };
}

describe("routeLabelOf", () => {
  it.each([
    ["a template Octokit passes as it is", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
    ["a link on GitHub Enterprise Server", `https://ghe.example/api/v3/repos/acme/sig/commits/${SHA}/check-runs?page=2`, `${COMMIT}/check-runs`],
    ["a link naming the repository by id", `https://api.github.com/repositories/1296269/commits/${SHA}/statuses?page=3`, `${COMMIT}/statuses`],
    ["a literal segment over a parameter", "/repos/acme/sig/check-runs/991", "/repos/{owner}/{repo}/check-runs/{check_run_id}"],
    ["a parameter where the literal does not fit", `/repos/acme/sig/commits/${SHA}`, "/repos/{owner}/{repo}/commits/{ref}"],
    ["GraphQL on github.com", "/graphql", GRAPHQL_ROUTE],
    ["GraphQL on GitHub Enterprise Server", "https://ghe.example/api/graphql", GRAPHQL_ROUTE],
    ["a route repol does not call", "/repositories/1296269/issues/77", OTHER_ROUTE],
    ["a template repol does not call", "/orgs/{org}/members", OTHER_ROUTE],
    ["a partly expanded template", "/repos/acme/sig/pulls/{pull_number}/files", OTHER_ROUTE],
  ])("labels %s", (_name, url, label) => {
    expect(routeLabelOf(url)).toBe(label);
  });

  it("gives every route repol calls its own template back from the expanded URL, behind a GitHub Enterprise prefix", () => {
    for (const route of GITHUB_ROUTES) {
      expect(routeLabelOf(`https://ghe.example/api/v3${expand(route).path}?page=2`)).toBe(route);
    }
  });

  it("never lets a parameter of any GitHub REST route into a label, and keeps to a fixed set of labels", () => {
    const allowed = new Set([...GITHUB_ROUTES, GRAPHQL_ROUTE, OTHER_ROUTE]);
    const paths = restPaths();
    expect(paths.length).toBeGreaterThan(700);
    for (const template of paths) {
      const { path, values } = expand(template);
      for (const url of [path, `https://ghe.example/api/v3${path}?page=2`, template]) {
        const label = routeLabelOf(url);
        expect(allowed.has(label), `${url} → ${label}`).toBe(true);
        for (const value of values) expect(label).not.toContain(value);
      }
    }
  });
});

describe("GITHUB_ROUTES", () => {
  it("holds only routes of GitHub's REST description", () => {
    const paths = new Set(restPaths());
    expect(GITHUB_ROUTES.filter((route) => !paths.has(route))).toEqual([]);
  });

  it("holds every route repol's sources call, so none is counted as other", () => {
    const octokit = new ProbotOctokit() as unknown as { rest: Record<string, Record<string, { endpoint: { DEFAULTS: { url: string } } }>> };
    const called = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, "utf8");
      for (const [, path] of text.matchAll(/"(?:GET|POST|PATCH|PUT|DELETE) (\/[^"\s]*)"/g)) called.add(path!);
      for (const [, scope, method] of text.matchAll(/\brest\.(\w+)\.(\w+)\b/g)) called.add(octokit.rest[scope!]![method!]!.endpoint.DEFAULTS.url);
    }
    // Most facts now come through GraphQL; the scan must still find the REST calls that remain.
    expect(called.size).toBeGreaterThan(5);
    expect([...called].filter((route) => !GITHUB_ROUTES.includes(route))).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}
