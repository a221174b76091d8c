// First run without credentials: serve Probot's manifest flow, which registers the App on GitHub
// from app.yml and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { run } from "probot";
import { SmeeClient } from "smee-client";

/**
 * True when the App cannot authenticate yet: no APP_ID, or no private key. Mirrors Probot's own test,
 * except that a stray *.pem in the working directory is not picked up: the key must be named.
 */
export function shouldRunSetup(env: NodeJS.ProcessEnv = process.env): boolean {
  const hasAppId = Boolean(env.APP_ID?.trim());
  const hasKey = Boolean(env.PRIVATE_KEY?.trim() || env.PRIVATE_KEY_PATH?.trim());
  return !hasAppId || !hasKey;
}

export interface SetupServer {
  /** Where to point the browser, e.g. http://localhost:3000. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the setup page on HOST/PORT (default localhost:3000) and resolves once it listens.
 * Refuses in production: a server there must be given credentials, not ask a browser for them.
 */
export async function runSetupMode(): Promise<SetupServer> {
  if (process.env.NODE_ENV === "production") {
    throw new Error(
      "APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set when NODE_ENV=production. " +
        "Register the App once with `npm start` on a workstation (docs/register-the-app.md) and pass the values it writes to .env.",
    );
  }
  // Probot merges .env over the environment (as here) and would start a bare app if it held credentials.
  const env = { ...process.env, ...readDotEnv() };
  if (!shouldRunSetup(env)) {
    throw new Error("credentials are present in .env: load .env into the environment before calling shouldRunSetup()");
  }
  const server = await run(() => {}, {
    // No relay while in setup: nothing can handle a webhook before the restart. The manifest still
    // registers WEBHOOK_PROXY_URL as the App's webhook URL.
    env: { ...env, WEBHOOK_PROXY_URL: undefined },
    // Probot would otherwise fetch smee-client with npx; repol ships it.
    SmeeClient: { createChannel: () => SmeeClient.createChannel() },
  });
  const host = server.host === "::" || server.host === "0.0.0.0" || server.host === "[::]" ? "localhost" : server.host;
  return {
    url: `http://${host}:${server.port}`,
    stop: () => server.stop(),
  };
}

function readDotEnv(): NodeJS.Dict<string> {
  try {
    return parseEnv(readFileSync(join(process.cwd(), ".env"), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}
