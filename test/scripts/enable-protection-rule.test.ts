// The script against a fake GitHub on 127.0.0.1 (reached through GHE_HOST, as on GitHub Enterprise).
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/policy-bundle.js";

const APP_ID = 4242;
const TOKEN = "ghp_admin_token";

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** Rules already enabled and Apps installed, per environment of acme/shop. */
let world: Record<string, { rules: { id: number; app: { id: number; slug: string } }[]; installed: number[] }>;
let seen: Seen[];
let server: Server;
let host: string;

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://fake");
    const body = await bodyOf(req);
    seen.push({ method: req.method!, path: url.pathname + url.search, authorization: req.headers.authorization, body });
    const reply = (status: number, payload: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { message: "Bad credentials" });
    const base = "/api/v3/repos/acme/shop/environments";
    if (req.method === "GET" && url.pathname === base) {
      const names = Object.keys(world);
      return reply(200, { total_count: names.length, environments: names.map((name) => ({ name })) });
    }
    const match = new RegExp(`^${base}/([^/]+)/deployment_protection_rules(/apps)?$`).exec(url.pathname);
    const env = match && world[decodeURIComponent(match[1]!)];
    if (!match || !env) return reply(404, { message: "Not Found" });
    if (req.method === "GET" && match[2]) {
      return reply(200, {
        total_count: env.installed.length,
        available_custom_deployment_protection_rule_integrations: env.installed.map((id) => ({ id, slug: `app-${id}` })),
      });
    }
    if (req.method === "GET") return reply(200, { total_count: env.rules.length, custom_deployment_protection_rules: env.rules });
    if (req.method === "POST") {
      const rule = { id: 31, enabled: true, app: { id: (body as { integration_id: number }).integration_id, slug: "repol" } };
      env.rules.push(rule);
      return reply(201, rule);
    }
    return reply(405, { message: "no" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
  world = {
    staging: { rules: [], installed: [7, APP_ID] },
    production: { rules: [{ id: 5, app: { id: APP_ID, slug: "repol" } }], installed: [APP_ID] },
    sandbox: { rules: [], installed: [7] },
  };
});

function runScript(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const loader = pathToFileURL(join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
  const childEnv = { PATH: process.env.PATH, GHE_HOST: host, GHE_PROTOCOL: "http", GITHUB_TOKEN: TOKEN, APP_ID: String(APP_ID), ...env };
  return new Promise((resolve, reject) => {
    // cwd without a .env, so only the environment given here counts.
    const child = spawn(process.execPath, ["--import", loader, join(repoRoot, "scripts", "enable-protection-rule.ts"), ...args], {
      cwd: join(repoRoot, "test"),
      env: childEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("scripts/enable-protection-rule.ts", () => {
  it("enables the App on the named environment with one POST carrying its id", async () => {
    const run = await runScript(["acme/shop", "--environment", "staging"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("staging: enabled (rule 31) — enabled repol\n");
    const posts = seen.filter((request) => request.method === "POST");
    expect(posts).toEqual([
      {
        method: "POST",
        path: "/api/v3/repos/acme/shop/environments/staging/deployment_protection_rules",
        authorization: `Bearer ${TOKEN}`,
        body: { integration_id: APP_ID },
      },
    ]);
  });

  it("leaves an environment that already has the rule alone", async () => {
    const run = await runScript(["acme/shop", "-e", "production"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("production: already enabled (rule 5) — already protected by repol\n");
    expect(seen.some((request) => request.method === "POST")).toBe(false);
  });

  it("goes through every environment when none is named, and exits 1 if the App cannot be enabled on one", async () => {
    const run = await runScript(["acme/shop"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter(Boolean)).toEqual([
      "staging: enabled (rule 31) — enabled repol",
      "production: already enabled (rule 5) — already protected by repol",
    ]);
    expect(run.stderr).toBe(`sandbox: failed — App ${APP_ID} is not offered as a protection rule here: install it on acme/shop first\n`);
    expect(seen.filter((request) => request.method === "POST")).toHaveLength(1);
  });

  it("takes the App id from --app-id over APP_ID", async () => {
    const run = await runScript(["acme/shop", "-e", "sandbox", "--app-id", "7"]);
    expect(run.code).toBe(0);
    expect(seen.find((request) => request.method === "POST")?.body).toEqual({ integration_id: 7 });
  });

  it("names an environment that does not exist", async () => {
    const run = await runScript(["acme/shop", "-e", "qa"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^qa: failed — no environment "qa"/);
  });

  it("explains a rejected token", async () => {
    const run = await runScript(["acme/shop", "-e", "staging"], { GITHUB_TOKEN: "wrong" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/staging: failed — the token was rejected: Bad credentials/);
  });

  it.each([
    ["no repository", [], {}, /give exactly one repository as owner\/repo/],
    ["a repository without owner", ["shop"], {}, /give exactly one repository/],
    ["no App id", ["acme/shop"], { APP_ID: "" }, /no App id: pass --app-id or set APP_ID/],
    ["no token", ["acme/shop"], { GITHUB_TOKEN: "" }, /no token: set GITHUB_TOKEN/],
  ])("exits 2 with usage for %s, calling GitHub not once", async (_what, args, env, message) => {
    const run = await runScript(args as string[], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message as RegExp);
    expect(run.stderr).toMatch(/usage: npm run enable-protection-rule/);
    expect(seen).toEqual([]);
  });
});
