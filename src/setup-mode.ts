// First run without credentials: a page that registers the App on GitHub from app.yml (GitHub's
// manifest flow) and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env for the next start.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import express, { type Request } from "express";
import { WEBHOOK_PATH } from "./server.js";
import { githubApiUrlFrom } from "./settings.js";
import { appManifest } from "./setup/app-manifest.js";
import { updateDotEnv } from "./setup/dot-env-file.js";
import { importPage, messagePage, registerPage, type WebhookTarget } from "./setup/setup-pages.js";
import { looksLikePrivateKey } from "./startup-checks.js";

/** True when the App cannot authenticate yet: no APP_ID, or no private key (a stray *.pem is not picked up). */
export function shouldRunSetup(env: NodeJS.ProcessEnv = process.env): boolean {
  const hasAppId = Boolean(env.APP_ID?.trim());
  const hasKey = Boolean(env.PRIVATE_KEY?.trim() || env.PRIVATE_KEY_PATH?.trim());
  return !hasAppId || !hasKey;
}

export interface SetupServer {
  /** Where to point the browser, e.g. http://localhost:3000. */
  url: string;
  /** The webhook URL the App is registered with: a smee channel, or else repol's own route here. */
  webhook: WebhookTarget;
  stop(): Promise<void>;
}

/**
 * Starts the setup page on HOST/PORT (default localhost:3000) and resolves once it listens.
 * Refuses in production: a server there must be given credentials, not ask a browser for them.
 */
export async function runSetupMode(processEnv: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<SetupServer> {
  if (processEnv.NODE_ENV === "production") {
    throw new Error(
      "APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set when NODE_ENV=production. " +
        "Register the App once with `npm start` on a workstation (docs/register-the-app.md) and pass the values it writes to .env.",
    );
  }
  const dotEnvPath = join(cwd, ".env");
  const env = { ...processEnv, ...readDotEnv(dotEnvPath) };
  if (!shouldRunSetup(env)) {
    throw new Error("credentials are present in .env: load .env into the environment before calling shouldRunSetup()");
  }
  const channel = env.WEBHOOK_PROXY_URL || (env.NO_SMEE_SETUP === "true" ? null : await createChannel());
  if (channel && channel !== env.WEBHOOK_PROXY_URL) updateDotEnv(dotEnvPath, { WEBHOOK_PROXY_URL: channel });

  const github = `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST || "github.com"}`;
  const createAppUrl = `${github}${env.GH_ORG ? `/organizations/${env.GH_ORG}` : ""}/settings/apps/new`;
  // The browser's own view of this server, so links and the App's URLs use the name it typed.
  const baseUrlOf = (req: Request) => `http://${req.headers.host ?? "localhost"}`;
  const webhookFor = (baseUrl: string): WebhookTarget => (channel ? { url: channel, relayed: true } : { url: `${baseUrl}${WEBHOOK_PATH}`, relayed: false });

  const app = express();
  app.disable("x-powered-by");
  app.get("/", (_req, res) => res.redirect(302, "/probot"));
  app.get("/probot", (req, res) => {
    const webhook = webhookFor(baseUrlOf(req));
    res.type("html").send(registerPage(createAppUrl, appManifest(cwd, { baseUrl: baseUrlOf(req), webhookUrl: webhook.url }), webhook));
  });
  app.get("/probot/setup", async (req, res) => {
    const code = typeof req.query.code === "string" && /^[\w-]{1,200}$/.test(req.query.code) ? req.query.code : null;
    if (!code) return void res.status(400).type("html").send(messagePage("No registration code", "Start again from /probot."));
    const response = await fetch(`${githubApiUrlFrom(env)}/app-manifests/${code}/conversions`, {
      method: "POST",
      headers: { accept: "application/vnd.github+json", "user-agent": "repol-setup" },
    });
    const registered = (response.ok ? await response.json() : null) as Record<string, unknown> | null;
    const { id, pem, webhook_secret: secret, html_url: appUrl, client_id: clientId, client_secret: clientSecret } = registered ?? {};
    if (typeof id !== "number" || typeof pem !== "string" || typeof secret !== "string" || typeof appUrl !== "string") {
      const why = `GitHub did not turn the registration code into credentials (HTTP ${response.status}). A code works once, within an hour: register again from /probot.`;
      return void res.status(502).type("html").send(messagePage("Registration failed", why));
    }
    updateDotEnv(dotEnvPath, {
      APP_ID: String(id),
      PRIVATE_KEY: pem,
      WEBHOOK_SECRET: secret,
      ...(typeof clientId === "string" ? { GITHUB_CLIENT_ID: clientId } : {}),
      ...(typeof clientSecret === "string" ? { GITHUB_CLIENT_SECRET: clientSecret } : {}),
    });
    res.redirect(302, `${appUrl}/installations/new`);
  });
  app.get("/probot/import", (req, res) => {
    res.type("html").send(importPage(`${github}/settings/apps`, webhookFor(baseUrlOf(req))));
  });
  app.post("/probot/import", express.urlencoded({ extended: false, limit: "64kb" }), (req, res) => {
    // Another site's page must not be able to post its own App's credentials into this .env.
    if (req.headers.origin !== undefined && req.headers.origin !== baseUrlOf(req)) {
      return void res.status(403).type("html").send(messagePage("Refused", "The form was not sent from this setup page."));
    }
    const { appId, webhook_secret: secret, pem } = (req.body ?? {}) as Record<string, string | undefined>;
    const problem =
      !appId || !/^\d+$/.test(appId.trim())
        ? "The App ID is a number, shown on the App's settings page."
        : !secret?.trim()
          ? "The webhook secret is required: it is how repol knows a webhook comes from GitHub."
          : !pem || !looksLikePrivateKey(pem)
            ? "The private key must be the whole .pem file, from -----BEGIN to -----END."
            : null;
    if (problem)
      return void res
        .status(400)
        .type("html")
        .send(importPage(`${github}/settings/apps`, webhookFor(baseUrlOf(req)), problem));
    updateDotEnv(dotEnvPath, { APP_ID: appId!.trim(), PRIVATE_KEY: pem!.trim().replace(/\r\n/g, "\n"), WEBHOOK_SECRET: secret!.trim() });
    res.type("html").send(messagePage("Saved to .env", "Stop repol (Ctrl-C) and run npm start again: it now serves webhooks."));
  });
  app.use(((error, _req, res, _next) => {
    res
      .status(500)
      .type("html")
      .send(messagePage("Setup failed", error instanceof Error ? error.message : String(error)));
  }) as express.ErrorRequestHandler);

  const server: Server = app.listen(Number(env.PORT || 3000), env.HOST || "localhost");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const named = env.HOST && env.HOST !== "0.0.0.0" && env.HOST !== "::" ? env.HOST : "localhost";
  const url = `http://${named.includes(":") ? `[${named}]` : named}:${port}`;
  return {
    url,
    webhook: webhookFor(url),
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A smee.io channel for local development; null (the page then says what to do) when smee.io cannot be reached. */
async function createChannel(): Promise<string | null> {
  try {
    // Loaded here, not at import: the server imports this module for shouldRunSetup() alone.
    const { SmeeClient } = await import("smee-client");
    return await SmeeClient.createChannel();
  } catch {
    return null;
  }
}

function readDotEnv(path: string): NodeJS.Dict<string> {
  try {
    return parseEnv(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}
